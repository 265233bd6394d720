// Knowledge base beside the intake form: filter the articles as the operator types.
// Without JavaScript the search box opens the knowledge-base page in a new tab.
(function () {
  "use strict";
  document.querySelectorAll("input[data-kb-filter]").forEach(function (input) {
    var list = document.querySelector(input.getAttribute("data-kb-filter"));
    if (!list) { return; }
    input.form.addEventListener("submit", function (event) { event.preventDefault(); });
    input.addEventListener("input", function () {
      var term = input.value.trim().toLowerCase();
      list.querySelectorAll("[data-kb-text]").forEach(function (item) {
        var match = !term || item.getAttribute("data-kb-text").indexOf(term) !== -1;
        item.hidden = !match;
        if (match && term) { item.open = true; }
      });
    });
  });
})();
