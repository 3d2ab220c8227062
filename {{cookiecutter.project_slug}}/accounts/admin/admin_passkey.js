// The admin login's step 2 with a passkey: ask the browser for an assertion to the options the
// page embeds (#passkey-options, made for this account and this step), put its JSON in the
// hidden field and send the form. The server checks it like the API's second step does.
"use strict";
(function () {
  const form = document.getElementById("second-factor-passkey");
  const field = form && form.querySelector('input[name="passkey"]');
  const error = document.getElementById("passkey-error");
  if (!form || !field) return;
  form.addEventListener("submit", async (event) => {
    if (field.value) return; // the assertion is in: send it
    event.preventDefault();
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) {
      error.textContent = "This browser cannot use passkeys: use a code instead.";
      error.hidden = false;
      return;
    }
    try {
      const options = JSON.parse(document.getElementById("passkey-options").textContent);
      const credential = await navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
      });
      field.value = JSON.stringify(credential.toJSON());
      form.submit();
    } catch (problem) {
      error.textContent = "No passkey was used (" + problem.name + "). Try again, or use a code.";
      error.hidden = false;
    }
  });
})();
