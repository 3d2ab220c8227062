// Starts Swagger UI on /api/docs. A file, not an inline script: the page's CSP allows
// scripts from this origin only.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.url,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No badge from validator.swagger.io: the page talks to this origin only.
    validatorUrl: null,
    // A token given with "Authorize" is forgotten when the tab closes.
    persistAuthorization: false,
  });
});
