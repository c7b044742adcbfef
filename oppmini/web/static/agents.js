// A User-Agent string in a few words: "Chromium on Linux", "Safari on iPhone". A small reading of
// the common browser families and systems, not a full parser; the raw string stays in a title.

// Browsers in the order their names must be tried: Edge and Opera also say "Chrome", Chrome also
// says "Safari", and the command-line client says none of them.
const BROWSERS = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bChromium\//, "Chromium"],
  [/HeadlessChrome\//, "Chromium"],
  [/\bChrome\/|\bCriOS\//, "Chrome"],
  [/\bSafari\//, "Safari"],
  [/^oppmini\b|^opp\//, "the opp command"],
  [/^python-requests|^curl\//, "a script"],
];
const SYSTEMS = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

const first = (table, text) => (table.find(([pattern]) => pattern.test(text)) || [null, ""])[1];

// "Chromium on Linux"; the browser or system alone when only one is known; "Unknown client".
export function describeAgent(agent) {
  const text = agent || "";
  const browser = first(BROWSERS, text);
  const system = first(SYSTEMS, text);
  if (browser && system) return `${browser} on ${system}`;
  return browser || system || (text ? "Another client" : "Unknown client");
}
