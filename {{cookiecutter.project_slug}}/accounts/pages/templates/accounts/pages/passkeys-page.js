// The /passkeys page (DEBUG only): log in, add a passkey, log out, log in with the passkey.
// Keeps the login token in this page's memory only; a real front end uses browser sessions.
import {
  addPasskey,
  logInWithPasskey,
  passkeySecondStep,
  passkeysSupported,
} from "/pages/passkeys.js";

let token = null;
const $ = (id) => document.getElementById(id);

async function call(method, path, body) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  try {
    const response = await fetch("/api/auth/" + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
    const data = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, data };
  } catch (error) {
    return { ok: false, status: 0, data: { error: "Could not reach the server." } };
  }
}

function show(message, ok) {
  const box = $("status");
  box.textContent = message;
  box.className = ok ? "ok" : "error";
  box.hidden = false;
}

function showLoggedIn(username) {
  $("logged-in").hidden = username === null;
  $("logged-out").hidden = username !== null;
  $("who").textContent = username || "";
}

async function loggedIn(answer) {
  if (!answer.ok) return show(answer.data.error || "That did not work.", false);
  token = answer.data.token;
  const me = await call("GET", "me");
  if (!me.ok) return show(me.data.error, false);
  showLoggedIn(me.data.username);
  show("Logged in as " + me.data.username + ".", true);
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await call("POST", "login", {
    username: $("username").value,
    password: $("password").value,
  });
  if (answer.ok && answer.data.mfa_required) {
    return loggedIn(await passkeySecondStep(call, answer.data.mfa_token));
  }
  await loggedIn(answer);
});

$("add-passkey").addEventListener("click", async () => {
  // Adding a passkey needs a fresh re-authentication: the password typed to log in.
  const proof = await call("POST", "reauthenticate", { current_password: $("password").value });
  if (!proof.ok) return show(proof.data.error, false);
  const added = await addPasskey(call, $("passkey-name").value || "Passkey");
  if (!added.ok) return show(added.data.error, false);
  const codes = added.data.recovery_codes;
  show("Passkey added: " + added.data.name + "." + (codes ? " Recovery codes: " + codes.join(" ") : ""), true);
});

$("logout").addEventListener("click", async () => {
  await call("POST", "logout");
  token = null;
  showLoggedIn(null);
  show("Logged out.", true);
});

$("passkey-login").addEventListener("click", async () => loggedIn(await logInWithPasskey(call)));

if (!passkeysSupported()) show("This browser cannot use passkeys here.", false);
