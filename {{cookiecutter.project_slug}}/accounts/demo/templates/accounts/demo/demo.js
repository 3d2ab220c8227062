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

async function passkeyAssertion(options) {
  const credential = await navigator.credentials.get({ publicKey: requestOptions(options) });
  return credentialJSON(credential);
}

// --- Showing things ---------------------------------------------------------------------
const state = { user: null, features: {}, mfaToken: "", codeEmail: "" };

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
const METHOD_NAMES = { password: "Password", totp: "Authenticator app", recovery_code: "Recovery code", passkey: "Passkey" };

function reauthenticate(methods) {
  const dialog = $("#reauth-dialog");
  const form = $("#reauth-form");
  const usable = methods.filter((method) => METHOD_NAMES[method] && (method !== "passkey" || window.PublicKeyCredential));
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

async function signedIn(message = "") {
  state.user = await call("GET", "me");
  flash(message);
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
  $("#mfa-off-hint").hidden = $("#mfa-off-actions").hidden = user.mfa_enabled || !$("#mfa-confirm-form").hidden;
  $("#mfa-on-actions").hidden = !user.mfa_enabled;
  showFeatures();
  await Promise.all([listSessions(), state.features.passkeys && listPasskeys(), state.features.social && listIdentities()]);
  showCookies();
}

async function reloadMe(message = "") {
  state.user = await call("GET", "me");
  if (message) flash(message);
  await refresh();
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
  $("#recovery-codes").hidden = true;
  await reloadMe("Two-factor authentication is off.");
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
async function listPasskeys() {
  const { passkeys } = await call("GET", "passkeys");
  $("#passkey-list").replaceChildren(
    ...passkeys.map((passkey) => {
      const what = element(
        "div",
        { className: "what" },
        element("span", { textContent: passkey.name }),
        element("small", { textContent: `Added ${when(passkey.created_at)} · last used ${when(passkey.last_used_at)}` }),
      );
      const remove = element("button", { type: "button", className: "danger", textContent: "Remove" });
      remove.addEventListener("click", async () => {
        remove.disabled = true;
        try {
          await call("DELETE", `passkeys/${encodeURIComponent(passkey.id)}`);
          await listPasskeys();
        } catch (error) {
          if (!(error instanceof Cancelled)) flash(error.message, "bad");
          remove.disabled = false;
        }
      });
      return element("li", {}, what, remove);
    }),
  );
}

onSubmit($("#passkey-form"), async (fields, form) => {
  const { options } = await call("POST", "passkeys/register", {});
  const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
  await call("PUT", "passkeys/register", { credential: credentialJSON(credential), name: fields.name });
  form.reset();
  await reloadMe("Passkey added.");
});

// --- Social login (when the server has providers) ----------------------------------------
async function loadProviders() {
  try {
    const { providers } = await call("GET", "social/providers");
    state.providers = (providers || []).filter((provider) => provider.flows.includes("redirect"));
  } catch {
    state.providers = [];
  }
  const next = encodeURIComponent(window.location.pathname);
  $("#social-buttons").replaceChildren(
    ...state.providers.map((provider) =>
      element("a", {
        className: "button secondary wide",
        href: `${API}social/${encodeURIComponent(provider.id)}/start?next=${next}`,
        textContent: `Continue with ${provider.name}`,
      }),
    ),
  );
  return state.providers.length > 0;
}

async function listIdentities() {
  const { identities } = await call("GET", "social/identities");
  $("#identity-list").replaceChildren(
    ...identities.map((identity) => {
      const what = element(
        "div",
        { className: "what" },
        element("span", { textContent: identity.provider }),
        element("small", { textContent: `${identity.email || ""} · linked ${when(identity.linked_at)}` }),
      );
      const unlink = element("button", { type: "button", className: "danger", textContent: "Unlink" });
      unlink.addEventListener("click", async () => {
        unlink.disabled = true;
        $("#identity-error").hidden = true;
        try {
          await call("DELETE", `social/identities/${encodeURIComponent(identity.id)}`);
          await listIdentities();
        } catch (error) {
          if (!(error instanceof Cancelled)) {
            $("#identity-error").textContent = error.message;
            $("#identity-error").hidden = false;
          }
          unlink.disabled = false;
        }
      });
      return element("li", {}, what, unlink);
    }),
  );
  $("#link-buttons").replaceChildren(
    ...state.providers.map((provider) => {
      const link = element("button", { type: "button", className: "secondary", textContent: `Link ${provider.name}` });
      link.addEventListener("click", async () => {
        try {
          const answer = await call("POST", `social/${encodeURIComponent(provider.id)}/link`, {});
          if (answer.authorization_url) window.location.assign(answer.authorization_url);
        } catch (error) {
          if (!(error instanceof Cancelled)) flash(error.message, "bad");
        }
      });
      return link;
    }),
  );
}

// The provider's callback sends the browser back with a one-time code in the fragment.
async function finishSocialLogin() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (!fragment.has("code") && !fragment.has("error")) return false;
  window.history.replaceState(null, "", window.location.pathname); // the code leaves the URL
  if (fragment.has("error")) {
    signedOut(`Social login failed (${fragment.get("error")}).`, "bad");
    return true;
  }
  try {
    await loggedIn(await call("POST", "social/exchange", { code: fragment.get("code") }));
  } catch (error) {
    signedOut(error.message, "bad");
  }
  return true;
}

// --- Start ----------------------------------------------------------------------------
function showCookies() {
  $("#visible-cookies").textContent = document.cookie || "(none)";
}

async function start() {
  $("#api-base").textContent = API;
  const [codes, passkeys, social] = await Promise.all([
    offers("PUT", "login/code", {}), // a 400 for the empty body when on; 404 when off
    window.PublicKeyCredential ? offers("GET", "passkeys") : false, // 401 when on
    loadProviders(),
  ]);
  state.features = { codes, passkeys, social };
  if (await finishSocialLogin()) return;
  try {
    await signedIn();
  } catch (error) {
    if (error.status === 401) signedOut();
    else signedOut(error.message, "bad");
  }
}

start();
