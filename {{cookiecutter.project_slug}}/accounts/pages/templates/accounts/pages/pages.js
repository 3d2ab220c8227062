// Completes the verify, reset and email-change flows from an email link. No build step, no dependencies.
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

  if (page === "verify") {
    var verifying = document.getElementById("verifying");
    if (!token) {
      verifying.hidden = true;
      show("This page needs the link from your verification email.", false);
      return;
    }
    call("PUT", "/api/auth/verify", { a: token }).then(function (result) {
      verifying.hidden = true;
      show(result.ok ? "Your email address is verified. You can close this page." : errorText(result.data), result.ok);
    });
    return;
  }

  if (page === "email") {
    var confirming = document.getElementById("confirming");
    if (!token) {
      confirming.hidden = true;
      show("This page needs the link from the email sent to your new address.", false);
      return;
    }
    call("PUT", "/api/auth/email", { a: token }).then(function (result) {
      confirming.hidden = true;
      if (result.ok) {
        show("Your email address is now " + result.data.email + ". You can close this page.", true);
      } else {
        show(errorText(result.data), false);
      }
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
