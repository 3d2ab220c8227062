// Completes the verify, reset and email-change flows from an email link, each on a press of its
// button (never on load). No build step, no dependencies.
(function () {
  "use strict";
  // Take the link token, then drop it from the address bar (and history) before using it.
  var params = new URLSearchParams(window.location.search);
  var token = params.get("a");
  if (token !== null) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  var page = document.querySelector("[data-page]").getAttribute("data-page");
  var statusBox = document.getElementById("status");

  function show(message, ok) {
    statusBox.textContent = message;
    statusBox.className = ok ? "ok" : "error";
    statusBox.hidden = false;
  }

  function call(method, path, body) {
    return fetch(path, {
      method: method,
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      referrerPolicy: "no-referrer",
      cache: "no-store",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, data: data };
      });
    }, function () {
      return { ok: false, data: { error: "Could not reach the server. Check your connection and try again." } };
    });
  }

  function errorText(data) {
    return data.error || "Something went wrong. Try again.";
  }

  // Act only on a press of the page's button, never on load: mail scanners open the links in
  // mails and run their scripts, and must confirm nothing (SEC-59).
  function confirmOnPress(path, withoutLink, done) {
    var intro = document.getElementById("intro");
    var button = document.getElementById("confirm");
    if (!token) {
      intro.hidden = true;
      show(withoutLink, false);
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      call("PUT", path, { a: token }).then(function (result) {
        if (result.ok) {
          intro.hidden = true;
          button.hidden = true;
          token = null;
          show(done(result.data), true);
        } else {
          button.disabled = false;
          show(errorText(result.data), false);
        }
      });
    });
  }

  if (page === "verify") {
    confirmOnPress("/api/auth/verify", "This page needs the link from your verification email.", function () {
      return "Your email address is verified. You can close this page.";
    });
    return;
  }

  if (page === "email") {
    confirmOnPress("/api/auth/email", "This page needs the link from the email sent to your new address.", function (data) {
      return "Your email address is now " + data.email + ". You can close this page.";
    });
    return;
  }

  if (page === "reset") {
    var newForm = document.getElementById("new-password-form");
    var requestForm = document.getElementById("request-form");
    if (!token) {
      requestForm.hidden = false;
      requestForm.addEventListener("submit", function (event) {
        event.preventDefault();
        call("POST", "/api/auth/reset", { email: document.getElementById("email").value }).then(function (result) {
          show(result.ok ? result.data.detail : errorText(result.data), result.ok);
        });
      });
      return;
    }
    newForm.hidden = false;
    newForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var password = document.getElementById("new-password").value;
      if (password !== document.getElementById("confirm-password").value) {
        show("The two passwords do not match.", false);
        return;
      }
      call("PUT", "/api/auth/reset", { a: token, new_password: password }).then(function (result) {
        if (result.ok) {
          newForm.hidden = true;
          token = null;
          show("Your password has been changed. You can now log in with it.", true);
        } else {
          show(errorText(result.data), false);
        }
      });
    });
  }
})();
