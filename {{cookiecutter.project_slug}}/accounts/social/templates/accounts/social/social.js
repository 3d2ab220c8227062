// Social login from a front end: a "Sign in with ..." button per provider, and the /social page
// where the provider's round trip ends. No framework and no build step; copy what you need.
//
//   Social.start("google", "/account")   leaves for the provider (through the API's start)
//   await Social.finish()                 on /social: trades the fragment's one-time code
//
// The API sends the browser back to {FRONTEND_URL}/social#code=<one-time code>. finish() takes
// the fragment out of the address bar first, checks that this browser started the sign-in
// (client_state), then posts the code: the session comes back in a response body, never in
// a URL. See docs/social-login.md.
"use strict";

const Social = {
  api: "/api/auth/",

  async providers() {
    const response = await fetch(`${this.api}social/providers`);
    return (await response.json()).providers;
  },

  start(provider, next = "/") {
    const clientState = Array.from(crypto.getRandomValues(new Uint8Array(16)),
      (byte) => byte.toString(16).padStart(2, "0")).join("");
    sessionStorage.setItem("social.client_state", clientState);
    const query = new URLSearchParams({ next, client_state: clientState });
    window.location.assign(`${this.api}social/${encodeURIComponent(provider)}/start?${query}`);
  },

  // Returns {error} or {status, body, next}: body is the exchange's answer ({token, expires_at}
  // or {mfa_required, mfa_token, expires_at}).
  async finish() {
    const fields = new URLSearchParams(window.location.hash.slice(1));
    history.replaceState(null, "", window.location.pathname);
    const started = sessionStorage.getItem("social.client_state");
    sessionStorage.removeItem("social.client_state");
    if (fields.get("error")) return { error: fields.get("error") };
    if (!fields.get("code") || !started || fields.get("client_state") !== started) {
      return { error: "not_started_here" };
    }
    const response = await fetch(`${this.api}social/exchange`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: fields.get("code") }),
    });
    return { status: response.status, body: await response.json(), next: fields.get("next") || "/" };
  },
};

// The /social page this project serves in DEBUG: the buttons, or the end of a sign-in.
const MESSAGES = {
  access_denied: "You cancelled the sign-in at the provider.",
  account_exists: "An account already uses this address: log in to it, then link the provider.",
  not_started_here: "This sign-in was not started from this browser. Start again.",
};

function show(text, kind) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = kind;
  status.hidden = false;
}

async function signedIn(answer) {
  if (answer.error) return show(MESSAGES[answer.error] || `Sign-in failed (${answer.error}).`, "error");
  if (answer.body.mfa_required) return show("Enter the code from your authenticator app next.", "ok");
  if (!answer.body.token) return show(answer.body.error, "error");
  const me = await fetch(`${Social.api}me`, { headers: { Authorization: `Bearer ${answer.body.token}` } });
  show(`Signed in as ${(await me.json()).username}.`, "ok");
}

async function listProviders() {
  const list = document.getElementById("providers");
  for (const provider of await Social.providers()) {
    if (!provider.flows.includes("redirect")) continue;
    const button = document.createElement("button");
    button.textContent = `Sign in with ${provider.name}`;
    button.dataset.provider = provider.id;
    button.addEventListener("click", () => Social.start(provider.id, "/social"));
    list.append(button);
  }
}

if (document.getElementById("providers")) {
  if (window.location.hash) Social.finish().then(signedIn);
  else listProviders();
}
