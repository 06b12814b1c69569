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

// Word completion: the commonest indexed words starting with the word being typed (the last
// one in the box) are offered in the box's <datalist>, each as the whole query it would make.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("words");
  if (!box || !list || !window.fetch) return;
  var timer = null, latest = 0;

  function offer() {
    var value = box.value;
    // The word being typed: after the last space, bracket or quote, without a leading minus.
    var found = /^(.*?[\s("（“]?-?)([^\s()"（）“”-]+)$/.exec(value);
    if (!found) { list.replaceChildren(); return; }
    var before = found[1], prefix = found[2];
    var mine = ++latest;
    fetch("/api/complete?limit=8&prefix=" + encodeURIComponent(prefix))
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || mine !== latest) return;
        list.replaceChildren.apply(list, data.words.map(function (entry) {
          var option = document.createElement("option");
          option.value = before + entry.word;
          option.label = entry.paragraphs + " 段";
          return option;
        }));
      })
      .catch(function () { /* no completion; the box works as before */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(offer, 150);
  });
})();
