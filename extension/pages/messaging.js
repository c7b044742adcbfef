// The extension's pages asking the background: one call, its answer or an Error in plain words.

const runtime = (globalThis.browser ?? chrome).runtime;

export class Refused extends Error {
  constructor(message, signedOut) {
    super(message);
    this.signedOut = signedOut;
  }
}

export async function ask(type, details = {}) {
  const answer = await runtime.sendMessage({ type, ...details });
  if (!answer) throw new Refused("The extension did not answer. Try again.", false);
  if (!answer.ok) throw new Refused(answer.error, answer.signedOut);
  return answer.value;
}
