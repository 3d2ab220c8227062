// The reference front end: every flow of the auth API from a browser, with a browser session.
// Plain modern JavaScript, no build step, no dependency. Read it as an example of what a
// single-page app does: the session token is an HttpOnly cookie it never sees; it sends
// `X-Auth-Client: browser` so that logins answer with that cookie, `credentials: "include"`
// so that the cookie goes along, and `X-CSRFToken` with every change.

const API = `${document.querySelector('meta[name="api-base"]').content}/api/auth/`;
const $ = (selector) => document.querySelector(selector);
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

// --- Talking to the API ---------------------------------------------------------------
class ApiError extends Error {
  constructor(status, data) {
    super(data.error || `The server answered ${status}.`);
    this.status = status;
    this.code = data.code || "";
    this.data = data;
  }
}

class Cancelled extends Error {}

let csrfToken = "";

async function csrf() {
  // Another origin cannot read this API's cookies: GET csrf hands the token over in a header.
  if (!csrfToken) {
    const response = await fetch(`${API}csrf`, { credentials: "include", cache: "no-store" });
    csrfToken = response.headers.get("X-CSRFToken") || "";
  }
  return csrfToken;
}

async function call(method, path, body, { retry = true } = {}) {
  const headers = { Accept: "application/json", "X-Auth-Client": "browser" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (!SAFE.has(method)) headers["X-CSRFToken"] = await csrf();
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "include",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, { error: "The API cannot be reached. Check your connection and try again.", code: "network" });
  }
  const fresh = response.headers.get("X-CSRFToken"); // a login rotates the token
  if (fresh) csrfToken = fresh;
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (response.ok) return data;
  if (retry && response.status === 403 && data.code === "csrf_failed") {
    csrfToken = ""; // the CSRF cookie changed or expired: fetch a new token once
    return call(method, path, body, { retry: false });
  }
  if (retry && response.status === 403 && data.code === "reauthentication_required") {
    await reauthenticate(data.methods || []); // then the same request, once more
    return call(method, path, body, { retry: false });
  }
  if (response.status === 401 && state.user) signedOut("Your session has ended. Log in again.");
  throw new ApiError(response.status, data);
}

// Whether the server offers a feature: the endpoint answers anything but 404 (or 405).
async function offers(method, path, body) {
  try {
    await call(method, path, body, { retry: false });
    return true;
  } catch (error) {
    return ![0, 404, 405].includes(error.status);
  }
}

// --- Passkeys: WebAuthn's JSON forms, with a fallback for browsers without the helpers -----
const b64url = {
  decode(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
  },
  encode(buffer) {
    const bytes = String.fromCharCode(...new Uint8Array(buffer));
    return btoa(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
};

function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: b64url.decode(json.challenge),
    user: { ...json.user, id: b64url.decode(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: b64url.decode(c.id) })),
  };
}

function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return {
    ...json,
    challenge: b64url.decode(json.challenge),
    allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: b64url.decode(c.id) })),
  };
}

function credentialJSON(credential) {
  if (credential.toJSON) return credential.toJSON();
  const response = {};
  for (const name of ["clientDataJSON", "attestationObject", "authenticatorData", "signature", "userHandle"]) {
    if (credential.response[name]) response[name] = b64url.encode(credential.response[name]);
  }
  if (credential.response.getTransports) response.transports = credential.response.getTransports();
  return {
    id: credential.id,
    rawId: b64url.encode(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment,
  };
}

// navigator.credentials rejects when the user cancels or the browser refuses: say so plainly.
async function ceremony(run) {
  let credential;
  try {
    credential = await run();
  } catch (error) {
    const cancelled = error && error.name === "NotAllowedError";
    const message = cancelled
      ? "The passkey was not used (cancelled, or timed out)."
      : `This browser could not use a passkey here: ${error && error.message}`;
    throw new ApiError(0, { error: message, code: "passkey_not_used" });
  }
  return credentialJSON(credential);
}

function newPasskey(options) {
  return ceremony(() => navigator.credentials.create({ publicKey: creationOptions(options) }));
}

function passkeyAssertion(options) {
  return ceremony(() => navigator.credentials.get({ publicKey: requestOptions(options) }));
}

// --- Showing things ---------------------------------------------------------------------
const state = { user: null, features: {}, mfaToken: "", codeEmail: "", providers: [], linked: [] };

function flash(message, kind = "ok") {
  const box = $("#flash");
  box.textContent = message;
  box.className = `flash ${kind}`;
  box.hidden = !message;
  if (message) box.scrollIntoView({ block: "nearest" });
}

// Which field an error code is about; the first of these a form has gets the message.
const FIELDS = {
  username_taken: ["username"],
  invalid_username: ["username"],
  email_taken: ["email", "new_email"],
  invalid_email: ["email", "new_email"],
  email_unchanged: ["new_email"],
  weak_password: ["new_password", "password"],
  password_too_long: ["new_password", "password"],
  invalid_credentials: ["current_password"],
  invalid_code: ["code", "recovery_code"],
};

function clearErrors(form) {
  for (const box of form.querySelectorAll("[data-error-for]")) {
    box.textContent = "";
    box.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

function showFieldError(form, field, message) {
  const box = form.querySelector(`[data-error-for="${field}"]`);
  if (!box) return false;
  box.textContent = message;
  box.hidden = false;
  const input = field && form.querySelector(`[name="${field}"]`);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
  return true;
}

// Put the API's message next to the field it concerns; the rest under the form.
function showError(form, error) {
  if (error instanceof Cancelled) return;
  const data = error.data || {};
  let shown = false;
  for (const [field, messages] of Object.entries(data.errors || {})) {
    shown = showFieldError(form, field, messages.join(" ")) || shown;
  }
  if (shown) return;
  const named = /'([a-z_]+)'/.exec(error.message); // "'username' is required."
  const candidates = [...(FIELDS[error.code] || []), ...(named ? [named[1]] : [])];
  const field = candidates.find((name) => form.querySelector(`[data-error-for="${name}"]`));
  showFieldError(form, field || "", error.message || "Something went wrong. Try again.");
}

function onSubmit(form, handler) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await handler(Object.fromEntries(new FormData(form)), form);
    } catch (error) {
      showError(form, error);
    } finally {
      button.disabled = false;
    }
  });
}

function onClick(selector, handler, errorBox) {
  $(selector).addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    if (errorBox) $(errorBox).hidden = true;
    try {
      await handler(button);
    } catch (error) {
      if (error instanceof Cancelled) return;
      if (errorBox) {
        $(errorBox).textContent = error.message;
        $(errorBox).hidden = false;
      } else {
        flash(error.message, "bad");
      }
    } finally {
      button.disabled = false;
    }
  });
}

function when(value) {
  return value ? new Date(value).toLocaleString() : "never";
}

// "Chrome 156 on Linux" from a User-Agent string: enough to tell one's sessions apart.
function describeAgent(agent) {
  if (!agent) return "Unknown client";
  const browsers = [["Edg/", "Edge"], ["Firefox/", "Firefox"], ["Chrome/", "Chrome"], ["Version/", "Safari"]];
  const systems = [["Android", "Android"], ["iPhone", "iPhone"], ["iPad", "iPad"], ["Windows", "Windows"], ["Mac OS", "macOS"], ["Linux", "Linux"]];
  const found = browsers.find(([mark]) => agent.includes(mark));
  const system = systems.find(([mark]) => agent.includes(mark));
  if (!found) return agent.slice(0, 60);
  const version = agent.split(found[0])[1].split(/[ .]/)[0];
  return `${found[1]} ${version}${system ? ` on ${system[1]}` : ""}`;
}

function element(tag, properties = {}, ...children) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

function showFeatures() {
  for (const node of document.querySelectorAll("[data-needs]")) {
    node.hidden = !state.features[node.dataset.needs];
  }
  const { codes, passkeys, social } = state.features;
  $("#other-ways").hidden = !(codes || passkeys || social);
}

// --- Re-authentication: asked for by the API (403 reauthentication_required) -------------
const METHOD_NAMES = {
  password: "Password",
  totp: "Authenticator app",
  recovery_code: "Recovery code",
  passkey: "Passkey",
  social: "Linked account",
};

function canUse(method) {
  if (method === "passkey") return Boolean(window.PublicKeyCredential);
  if (method === "social") return state.linked.length > 0; // a provider linked here, offering redirects
  return method in METHOD_NAMES;
}

function reauthenticate(methods) {
  const dialog = $("#reauth-dialog");
  const form = $("#reauth-form");
  const usable = methods.filter(canUse);
  if (!usable.length) return Promise.reject(new ApiError(403, { error: "This account has no way to confirm it is you here." }));
  let chosen = usable[0];
  const choices = $("#reauth-choices");
  const choose = (method) => {
    chosen = method;
    for (const button of choices.children) button.setAttribute("aria-pressed", String(button.dataset.choice === method));
    for (const part of form.querySelectorAll("[data-method]")) part.hidden = part.dataset.method !== method;
    form.querySelector(`[data-method="${method}"] input`)?.focus();
  };
  choices.replaceChildren(
    ...usable.map((method) => {
      const button = element("button", { type: "button", className: "secondary", textContent: METHOD_NAMES[method] });
      button.dataset.choice = method;
      button.addEventListener("click", () => choose(method));
      return button;
    }),
  );
  choices.hidden = usable.length < 2;
  form.provider.replaceChildren(...state.linked.map((id) => element("option", { value: id, textContent: providerName(id) })));
  form.reset();
  clearErrors(form);
  dialog.showModal();
  choose(chosen);

  return new Promise((resolve, reject) => {
    const finish = (outcome) => {
      form.removeEventListener("submit", submit);
      $("#reauth-cancel").removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      dialog.close();
      outcome();
    };
    const cancel = (event) => {
      event?.preventDefault();
      finish(() => reject(new Cancelled()));
    };
    const submit = async (event) => {
      event.preventDefault();
      clearErrors(form);
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const proof = {};
        if (chosen === "password") proof.current_password = form.current_password.value;
        if (chosen === "totp") proof.code = form.code.value.trim();
        if (chosen === "recovery_code") proof.recovery_code = form.recovery_code.value.trim();
        if (chosen === "passkey") {
          const { options } = await call("POST", "reauthenticate/passkey", undefined, { retry: false });
          proof.passkey = await passkeyAssertion(options);
        }
        if (chosen === "social") {
          // A fresh sign-in at the provider: the page leaves, and the code it comes back with
          // (social/exchange) re-authenticates this session. The change is then asked again.
          const provider = encodeURIComponent(form.provider.value);
          const answer = await call("POST", `social/${provider}/reauthenticate`, {}, { retry: false });
          leaveFor(answer.authorization_url);
          return;
        }
        await call("POST", "reauthenticate", proof, { retry: false });
        finish(resolve);
      } catch (error) {
        showError(form, error);
      } finally {
        button.disabled = false;
      }
    };
    form.addEventListener("submit", submit);
    $("#reauth-cancel").addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
  });
}

// --- Signed out: log in, register, reset ----------------------------------------------
function selectTab(name) {
  for (const tab of ["login", "register", "reset"]) {
    $(`#tab-${tab}`).setAttribute("aria-selected", String(tab === name));
    $(`#panel-${tab}`).hidden = tab !== name;
  }
}

function showMfaStep(challenge) {
  state.mfaToken = challenge.mfa_token;
  $("#login-form").hidden = true;
  $("#other-ways").hidden = true;
  $("#mfa-form").hidden = false;
  $("#mfa-code").focus();
}

function resetLogin() {
  state.mfaToken = "";
  $("#mfa-form").hidden = true;
  $("#login-form").hidden = false;
  $("#code-form").hidden = true;
  showFeatures();
}

// Every way in ends here: a session (the cookie is set) or the second step.
async function loggedIn(answer) {
  if (answer.mfa_required) {
    selectTab("login");
    showMfaStep(answer);
    return;
  }
  resetLogin();
  await signedIn();
}

// `me`: GET me's answer when it was asked already (an ApiError: nobody is signed in).
async function signedIn(message = "", kind = "ok", me = null) {
  if (me instanceof Error) throw me;
  state.user = me || (await call("GET", "me"));
  flash(message, kind);
  $("#loading").hidden = true;
  $("#signed-out").hidden = true;
  $("#signed-in").hidden = false;
  $("#who").hidden = false;
  await refresh();
}

function signedOut(message = "", kind = "info") {
  state.user = null;
  csrfToken = "";
  $("#loading").hidden = true;
  $("#signed-in").hidden = true;
  $("#who").hidden = true;
  $("#signed-out").hidden = false;
  resetLogin();
  selectTab("login");
  flash(message, kind);
  showCookies();
}

onSubmit($("#login-form"), async (fields, form) => {
  await loggedIn(await call("POST", "login", fields));
  form.reset();
});

onSubmit($("#mfa-form"), async (fields, form) => {
  const code = fields.code.trim();
  // Six digits: the app's code; anything longer: a recovery code.
  const proof = /^\d{6}$/.test(code.replace(/\s/g, "")) ? { code } : { recovery_code: code };
  await loggedIn(await call("POST", "login/mfa", { mfa_token: state.mfaToken, ...proof }));
  form.reset();
});

onClick("#mfa-passkey", async () => {
  const { options } = await call("POST", "login/mfa/passkey", { mfa_token: state.mfaToken });
  const passkey = await passkeyAssertion(options);
  await loggedIn(await call("POST", "login/mfa", { mfa_token: state.mfaToken, passkey }));
});

$("#mfa-cancel").addEventListener("click", () => resetLogin());

onSubmit($("#code-request-form"), async (fields) => {
  const answer = await call("POST", "login/code", { email: fields.email });
  state.codeEmail = fields.email;
  $("#code-request-form").hidden = true;
  $("#code-form").hidden = false;
  $("#code-sent").textContent = `${answer.detail} Enter it below; it works once, for 10 minutes.`;
  $("#code-code").focus();
});

onSubmit($("#code-form"), async (fields, form) => {
  await loggedIn(await call("PUT", "login/code", { email: state.codeEmail, code: fields.code }));
  form.reset();
});

$("#code-again").addEventListener("click", () => {
  $("#code-form").hidden = true;
  $("#code-request-form").hidden = false;
});

onClick(
  "#passkey-login",
  async () => {
    const { options } = await call("POST", "login/passkey");
    await loggedIn(await call("PUT", "login/passkey", { credential: await passkeyAssertion(options) }));
  },
  "#passkey-error",
);

onSubmit($("#register-form"), async (fields, form) => {
  await call("POST", "register", fields);
  form.reset();
  await loggedIn(await call("POST", "login", { username: fields.username, password: fields.password }));
  flash(`Welcome, ${fields.username}. A verification link is on its way to ${fields.email}.`);
});

onSubmit($("#reset-form"), async (fields, form) => {
  const answer = await call("POST", "reset", { email: fields.email });
  form.reset();
  flash(answer.detail);
});

for (const tab of ["login", "register", "reset"]) {
  $(`#tab-${tab}`).addEventListener("click", () => selectTab(tab));
}

// --- Signed in: the account ------------------------------------------------------------
async function refresh() {
  const user = state.user;
  $("#who-name").textContent = user.username;
  $("#me-username").textContent = user.username;
  $("#me-email").textContent = user.email;
  $("#me-mfa").textContent = user.mfa_enabled ? `on (${user.mfa_methods.join(", ")})` : "off";
  const badge = $("#verified-badge");
  badge.textContent = user.email_verified ? "Email verified" : "Email not verified";
  badge.className = `badge ${user.email_verified ? "ok" : "warn"}`;
  $("#verify-actions").hidden = user.email_verified;
  $("#mfa-badge").textContent = user.mfa_enabled ? "On" : "Off";
  $("#mfa-badge").className = `badge ${user.mfa_enabled ? "ok" : ""}`;
  // Passkeys turn two-factor authentication on too: the app's set-up stays on offer beside them.
  const totp = user.mfa_methods.includes("totp");
  $("#mfa-off-hint").hidden = $("#mfa-off-actions").hidden = totp || !$("#mfa-confirm-form").hidden;
  $("#mfa-renew-actions").hidden = !user.mfa_enabled;
  $("#mfa-disable-form").hidden = !totp;
  showFeatures();
  // The account's lists are drawn again: aria-busy until they are (assistive technology, and
  // the browser tests, wait for it).
  const page = $("#signed-in");
  page.setAttribute("aria-busy", "true");
  try {
    await Promise.all([listSessions(), state.features.passkeys && listPasskeys(), state.features.social && listIdentities()]);
  } finally {
    page.setAttribute("aria-busy", "false");
  }
  showCookies();
}

// The account drawn again, then the message: what it says is on the page when it shows.
async function reloadMe(message = "") {
  state.user = await call("GET", "me");
  await refresh();
  if (message) flash(message);
}

onClick("#logout", async () => {
  await call("POST", "logout");
  signedOut("You are logged out.");
});

onClick("#logout-all", async () => {
  await call("POST", "logout-all");
  signedOut("Every session of your account has ended, this one too.");
});

onClick("#send-verification", async () => {
  await call("POST", "verify");
  flash(`A verification link is on its way to ${state.user.email}.`);
});

onSubmit($("#username-form"), async (fields, form) => {
  await call("PATCH", "me", { username: fields.username });
  form.reset();
  await reloadMe(`Your username is now ${fields.username}.`);
});

onSubmit($("#email-form"), async (fields, form) => {
  const answer = await call("POST", "email", { new_email: fields.new_email });
  form.reset();
  flash(answer.detail);
});

onSubmit($("#password-form"), async (fields, form) => {
  await call("POST", "password", fields);
  form.reset();
  signedOut("Your password is changed and every session has ended. Log in with the new password.", "ok");
});

onClick("#mfa-setup", async () => {
  const setup = await call("POST", "mfa/totp", {});
  // As an image, not as markup in this page: an SVG image runs no script. qr_svg is a whole
  // SVG document, namespace and all, so it works as one.
  $("#mfa-qr").src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qr_svg)}`;
  $("#mfa-secret").textContent = setup.secret;
  $("#mfa-confirm-form").hidden = false;
  $("#mfa-off-actions").hidden = $("#mfa-off-hint").hidden = true;
  $("#recovery-codes").hidden = true;
  $("#mfa-confirm-code").focus();
});

function showRecoveryCodes(codes) {
  $("#recovery-list").replaceChildren(...codes.map((code) => element("li", { textContent: code })));
  $("#recovery-codes").hidden = false;
}

onSubmit($("#mfa-confirm-form"), async (fields, form) => {
  const answer = await call("PUT", "mfa/totp", { code: fields.code.trim() });
  form.reset();
  form.hidden = true;
  showRecoveryCodes(answer.recovery_codes);
  await reloadMe("Two-factor authentication is on.");
});

onClick("#mfa-renew", async () => {
  const answer = await call("POST", "mfa/recovery-codes", {});
  showRecoveryCodes(answer.recovery_codes);
  flash("New recovery codes: the old ones no longer work.");
});

onSubmit($("#mfa-disable-form"), async (fields, form) => {
  const code = fields.code.trim();
  const proof = /^\d{6}$/.test(code) ? { code } : { recovery_code: code };
  await call("DELETE", "mfa/totp", proof);
  form.reset();
  await reloadMe();
  $("#recovery-codes").hidden = state.user.mfa_enabled;
  flash(state.user.mfa_enabled ? "The authenticator app is off; your passkeys remain your second factor." : "Two-factor authentication is off.");
});

async function listSessions() {
  const { sessions } = await call("GET", "sessions");
  $("#session-list").replaceChildren(
    ...sessions.map((session) => {
      const what = element(
        "div",
        { className: "what" },
        element("span", { textContent: describeAgent(session.user_agent), title: session.user_agent }),
        element("small", { textContent: `Since ${when(session.created_at)} · until ${when(session.expires_at)}` }),
      );
      if (session.current) {
        return element("li", {}, what, element("span", { className: "badge brand", textContent: "This browser" }));
      }
      const end = element("button", { type: "button", className: "secondary", textContent: "End" });
      end.addEventListener("click", async () => {
        end.disabled = true;
        try {
          await call("DELETE", `sessions/${encodeURIComponent(session.id)}`);
          await listSessions();
        } catch (error) {
          $("#session-error").textContent = error.message;
          $("#session-error").hidden = false;
          end.disabled = false;
        }
      });
      return element("li", {}, what, end);
    }),
  );
}

onSubmit($("#delete-form"), async () => {
  if (!window.confirm("Delete your account and everything it holds? This cannot be undone.")) return;
  await call("DELETE", "me", {});
  signedOut("Your account is deleted.", "ok");
});

// --- Passkeys (when the server offers them) --------------------------------------------
function errorBox(field, className = "field-error") {
  const box = element("p", { className, hidden: true });
  box.dataset.errorFor = field;
  return box;
}

// The passkey's line becomes this form; saved or cancelled, the list is drawn again.
function renameForm(passkey) {
  const input = element("input", { type: "text", name: "name", value: passkey.name, required: true });
  input.setAttribute("aria-label", "New name of the passkey");
  const save = element("button", { type: "submit", className: "secondary", textContent: "Save" });
  const cancel = element("button", { type: "button", className: "link", textContent: "Cancel" });
  const form = element(
    "form",
    { className: "rename", noValidate: true },
    input,
    errorBox("name"),
    errorBox("", "form-error"),
    element("div", { className: "actions" }, save, cancel),
  );
  cancel.addEventListener("click", () => listPasskeys());
  onSubmit(form, async (fields) => {
    const renamed = await call("PATCH", `passkeys/${encodeURIComponent(passkey.id)}`, { name: fields.name });
    await listPasskeys();
    flash(`The passkey is now called ${renamed.name}.`);
  });
  return form;
}

function passkeyItem(passkey) {
  const what = element(
    "div",
    { className: "what" },
    element("span", { textContent: passkey.name }),
    element("small", { textContent: `Added ${when(passkey.created_at)} · last used ${when(passkey.last_used_at)}` }),
  );
  const rename = element("button", { type: "button", className: "secondary", textContent: "Rename" });
  const remove = element("button", { type: "button", className: "danger", textContent: "Remove" });
  const item = element("li", {}, what, element("div", { className: "row" }, rename, remove));
  rename.addEventListener("click", () => {
    item.replaceChildren(renameForm(passkey));
    item.querySelector("input").focus();
  });
  remove.addEventListener("click", async () => {
    remove.disabled = true;
    try {
      await call("DELETE", `passkeys/${encodeURIComponent(passkey.id)}`);
      await reloadMe(`Passkey ${passkey.name} removed.`); // the last second factor takes MFA with it
    } catch (error) {
      if (!(error instanceof Cancelled)) flash(error.message, "bad");
      remove.disabled = false;
    }
  });
  return item;
}

async function listPasskeys() {
  const { passkeys } = await call("GET", "passkeys");
  $("#passkey-list").replaceChildren(...passkeys.map(passkeyItem));
}

onSubmit($("#passkey-form"), async (fields, form) => {
  const { options } = await call("POST", "passkeys/register", {}); // asks for a re-authentication first
  const credential = await newPasskey(options);
  const added = await call("PUT", "passkeys/register", { credential, name: fields.name });
  form.reset();
  if (!added.recovery_codes) return reloadMe(`Passkey ${added.name} added.`);
  // The account's first second factor: two-factor authentication is on, with recovery codes.
  showRecoveryCodes(added.recovery_codes);
  await reloadMe(`Passkey ${added.name} added. Two-factor authentication is on: keep your recovery codes.`);
});

// --- Social login (when the server has providers) ----------------------------------------
// A sign-in leaves for the API and comes back to {FRONTEND_URL}/social#code=<one-time code>,
// which in DEBUG the project serves as this very page. It carries a random client_state, kept
// in sessionStorage: a fragment this browser's own sign-in did not bring back (someone else's
// code in a crafted link, to sign the user in to their account) is refused, not exchanged.
const SOCIAL_STATE = "demo.social_state";
const HOME = "/demo/";
const SOCIAL_ERRORS = {
  access_denied: "You cancelled the sign-in at the provider.",
  account_exists: "An account already uses this address: log in to it, then link the provider from your profile.",
  invalid_state: "This sign-in expired, or came back to another browser than the one it started in. Start again.",
  not_started_here: "This sign-in was not started from this browser. Start again.",
};

function leaveFor(url) {
  const clientState = b64url.encode(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(SOCIAL_STATE, clientState);
  const target = new URL(url, window.location.href);
  target.searchParams.set("next", HOME);
  target.searchParams.set("client_state", clientState);
  window.location.assign(target.href);
}

function providerName(id) {
  return (state.providers.find((provider) => provider.id === id) || { name: id }).name;
}

async function loadProviders() {
  try {
    const { providers } = await call("GET", "social/providers");
    state.providers = (providers || []).filter((provider) => provider.flows.includes("redirect"));
  } catch {
    state.providers = [];
  }
  $("#social-buttons").replaceChildren(
    ...state.providers.map((provider) => {
      const button = element("button", { type: "button", className: "secondary wide", textContent: `Sign in with ${provider.name}` });
      button.dataset.provider = provider.id;
      button.addEventListener("click", () => leaveFor(`${API}social/${encodeURIComponent(provider.id)}/start`));
      return button;
    }),
  );
  return state.providers.length > 0;
}

function identityItem(identity) {
  const what = element(
    "div",
    { className: "what" },
    element("span", { textContent: providerName(identity.provider) }),
    element("small", { textContent: `${identity.email || ""} · linked ${when(identity.linked_at)}` }),
  );
  const unlink = element("button", { type: "button", className: "danger", textContent: "Unlink" });
  unlink.addEventListener("click", async () => {
    unlink.disabled = true;
    $("#identity-error").hidden = true;
    try {
      await call("DELETE", `social/identities/${encodeURIComponent(identity.id)}`);
      await listIdentities();
      flash(`${providerName(identity.provider)} is unlinked.`);
    } catch (error) {
      if (!(error instanceof Cancelled)) {
        $("#identity-error").textContent = error.message;
        $("#identity-error").hidden = false;
      }
      unlink.disabled = false;
    }
  });
  return element("li", {}, what, unlink);
}

async function listIdentities() {
  const { identities } = await call("GET", "social/identities");
  const offered = new Set(state.providers.map((provider) => provider.id));
  state.linked = [...new Set(identities.map((identity) => identity.provider))].filter((id) => offered.has(id));
  $("#identity-list").replaceChildren(...identities.map(identityItem));
  $("#link-buttons").replaceChildren(
    ...state.providers.map((provider) => {
      const link = element("button", { type: "button", className: "secondary", textContent: `Link ${provider.name}` });
      link.dataset.provider = provider.id;
      link.addEventListener("click", async () => {
        $("#identity-error").hidden = true;
        try {
          // On a re-authenticated session: the answer is where to sign in; the code coming
          // back links the provider only when this session posts it.
          const answer = await call("POST", `social/${encodeURIComponent(provider.id)}/link`, {});
          leaveFor(answer.authorization_url);
        } catch (error) {
          if (error instanceof Cancelled) return;
          $("#identity-error").textContent = error.message;
          $("#identity-error").hidden = false;
        }
      });
      return link;
    }),
  );
}

// The end of a round trip: returns what to say, or null when the page is no such end.
async function finishSocialLogin() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (!fragment.has("code") && !fragment.has("error")) return null;
  // The code leaves the address bar first; the page then stands at `next`, a path of this site.
  const next = fragment.get("next") || "";
  window.history.replaceState(null, "", /^\/(?![/\\])/.test(next) ? next : HOME);
  const started = sessionStorage.getItem(SOCIAL_STATE);
  sessionStorage.removeItem(SOCIAL_STATE);
  let error = fragment.get("error");
  if (!error && (!started || fragment.get("client_state") !== started)) error = "not_started_here";
  if (error) return { text: SOCIAL_ERRORS[error] || `The sign-in at the provider failed (${error}).`, kind: "bad" };
  let answer;
  try {
    answer = await call("POST", "social/exchange", { code: fragment.get("code") });
  } catch (failure) {
    return { text: failure.message, kind: "bad" };
  }
  if (answer.mfa_required) return { mfa: answer };
  if (answer.reauthenticated_until) return { text: "It is you: do it again now, within a few minutes.", kind: "ok" };
  if (answer.linked_at) return { text: `${providerName(answer.provider)} is linked to your account.`, kind: "ok" };
  return { text: "", kind: "ok" }; // a session: its cookie is set
}

// --- Start ----------------------------------------------------------------------------
function showCookies() {
  $("#visible-cookies").textContent = document.cookie || "(none)";
}

async function start() {
  $("#api-base").textContent = API;
  // Who is signed in is asked at once, beside what the server offers; but at the end of a
  // social sign-in, only once the code has been traded for the session.
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const landing = fragment.has("code") || fragment.has("error");
  const me = landing ? null : call("GET", "me").catch((error) => error);
  const [codes, passkeys, social] = await Promise.all([
    offers("PUT", "login/code", {}), // a 400 for the empty body when on; 404 when off
    window.PublicKeyCredential ? offers("GET", "passkeys") : false, // 401 when on
    loadProviders(),
  ]);
  state.features = { codes, passkeys, social };
  const back = (await finishSocialLogin()) || { text: "", kind: "info" };
  if (back.mfa) {
    signedOut("One more step: your account has two-factor authentication.", "info");
    showMfaStep(back.mfa);
    return;
  }
  try {
    await signedIn(back.text, back.kind, await me);
  } catch (error) {
    if (error.status === 401) signedOut(back.text, back.kind);
    else signedOut(error.message, "bad");
  }
}

start();
