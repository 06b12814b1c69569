// Comforts only: every page works without this script.
// Search as you type: after a pause, the results for the words typed so far replace the page's
// main part, and the address bar shows their URL (so it can still be copied or bookmarked).
(function () {
  "use strict";
  var box = document.getElementById("q");
  var main = document.getElementById("main");
  if (!box || !main || !window.fetch || !window.DOMParser) return;
  var form = box.form, timer = null, latest = 0;

  function refresh() {
    if (!box.value.trim()) return;
    var url = "/?" + new URLSearchParams(new FormData(form)).toString();
    var mine = ++latest;
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) {
        // A query typed half-way ("核 or an open bracket) is an error: keep the last results.
        return response.ok ? response.text() : null;
      })
      .then(function (text) {
        if (text === null || mine !== latest) return; // or a newer request has been sent
        var page = new DOMParser().parseFromString(text, "text/html");
        var fresh = page.getElementById("main");
        if (!fresh) return;
        main.replaceChildren.apply(main, Array.prototype.slice.call(fresh.childNodes));
        document.title = page.title;
        history.replaceState(null, "", url);
      })
      .catch(function () { /* the form still submits the ordinary way */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  });
})();
