// Passkeys with the auth API, in the browser: WebAuthn Level 3's JSON forms in and out, so the
// options go straight to PublicKeyCredential.parse*OptionsFromJSON and the answer back as
// credential.toJSON(). No build step, no dependency; an ES module any page can import.
//
// Every function takes `call(method, path, body)`: the page's own way to reach /api/auth/
// (a token header, or a browser session's cookie and CSRF header), resolving to
// {ok, status, data}. Each returns the API's answer in the same shape; a ceremony the user
// cancelled or the browser refused resolves to {ok: false, data: {error, code: "cancelled"}}.

export function passkeysSupported() {
  return Boolean(window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON);
}

async function ceremony(run) {
  try {
    return { ok: true, credential: await run() };
  } catch (error) {
    const message = error && error.name === "NotAllowedError"
      ? "The passkey was not used (cancelled, or timed out)."
      : "This browser could not use a passkey here: " + (error && error.message);
    return { ok: false, status: 0, data: { error: message, code: "cancelled" } };
  }
}

async function create(options) {
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
  return ceremony(() => navigator.credentials.create({ publicKey }));
}

async function get(options) {
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
  return ceremony(() => navigator.credentials.get({ publicKey }));
}

// Add a passkey to the logged-in account (its session must have re-authenticated lately).
// With the account's first second factor the answer carries its recovery codes: show them.
export async function addPasskey(call, name) {
  const options = await call("POST", "passkeys/register");
  if (!options.ok) return options;
  const made = await create(options.data.options);
  if (!made.ok) return made;
  return call("PUT", "passkeys/register", { credential: made.credential.toJSON(), name });
}

// Log in with a passkey alone: the browser offers the passkeys it holds for this site.
export async function logInWithPasskey(call) {
  const options = await call("POST", "login/passkey");
  if (!options.ok) return options;
  const used = await get(options.data.options);
  if (!used.ok) return used;
  return call("PUT", "login/passkey", { credential: used.credential.toJSON() });
}

// The second step of a password login that answered mfa_required, with a passkey.
export async function passkeySecondStep(call, mfaToken) {
  const options = await call("POST", "login/mfa/passkey", { mfa_token: mfaToken });
  if (!options.ok) return options;
  const used = await get(options.data.options);
  if (!used.ok) return used;
  return call("POST", "login/mfa", { mfa_token: mfaToken, passkey: used.credential.toJSON() });
}

// Re-authenticate the session with a passkey, before a sensitive operation.
export async function reauthenticateWithPasskey(call) {
  const options = await call("POST", "reauthenticate/passkey");
  if (!options.ok) return options;
  const used = await get(options.data.options);
  if (!used.ok) return used;
  return call("POST", "reauthenticate", { passkey: used.credential.toJSON() });
}
