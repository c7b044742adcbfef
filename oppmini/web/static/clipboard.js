// The clipboard: a secret copied on request, and cleared again after a while.

const CLIPBOARD_SECONDS = 30;

let clipboardTimer = null;

// Write through the Clipboard API when the page is a secure context (https,
// localhost), else through a one-off copy event (plain http on a LAN).
async function writeClipboard(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  let written = false;
  const onCopy = (event) => {
    event.clipboardData.setData("text/plain", text);
    event.preventDefault();
    written = true;
  };
  document.addEventListener("copy", onCopy);
  try {
    document.execCommand("copy");
  } finally {
    document.removeEventListener("copy", onCopy);
  }
  if (!written) throw new Error("copy refused");
}

export async function copySecret(value, label, say) {
  try {
    await writeClipboard(value);
  } catch {
    say(`The browser did not allow copying the ${label.toLowerCase()}.`, true);
    return;
  }
  clearTimeout(clipboardTimer);
  say(`${label} copied. The clipboard is cleared in ${CLIPBOARD_SECONDS} seconds.`);
  clipboardTimer = setTimeout(() => clearClipboard(say), CLIPBOARD_SECONDS * 1000);
}

// Browsers only let a page write the clipboard while it has focus; when it does
// not, the person has moved on and may have copied something else meanwhile.
export async function clearClipboard(say) {
  if (clipboardTimer === null) return;
  clearTimeout(clipboardTimer);
  clipboardTimer = null;
  if (!document.hasFocus()) return;
  try {
    await writeClipboard("");
    if (say) say("Clipboard cleared.");
  } catch {
    // Nothing more a page can do.
  }
}
