/* Patient questionnaire: optional improvements over plain HTML forms (every page works without it).
   - leaving a page with unanswered questions shows the inline prompt at once, without a round trip;
   - switching language keeps the answers chosen on this page (they are saved first);
   - a second tap on a button while the page is being sent does nothing. */
(function () {
  "use strict";
  var form = document.getElementById("page-form");
  var sending = false;

  function guardDoubleSubmit(target) {
    target.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      if (sending) { event.preventDefault(); return; }
      sending = true;
      target.setAttribute("aria-busy", "true");
    });
  }

  function unansweredItems() {
    return Array.prototype.filter.call(form.querySelectorAll("fieldset.item"), function (item) {
      return !item.querySelector("input:checked") && !item.hasAttribute("data-skipped");
    });
  }

  function showSkipPrompt(items) {
    var prompt = document.getElementById("skip-prompt");
    var text = prompt.getAttribute("data-text-" + items.length);
    document.getElementById("skip-prompt-text").textContent = text;
    document.getElementById("answer-now").setAttribute("href", "#" + items[0].id);
    items.forEach(function (item) { item.classList.add("unanswered"); });
    prompt.hidden = false;
    prompt.focus();
  }

  function onPageSubmit(event) {
    var submitter = event.submitter;
    if (!submitter || submitter.value !== "next" || sending) { return; }
    var items = unansweredItems();
    if (items.length > 0 && document.getElementById("skip-prompt").hidden) {
      event.preventDefault();
      showSkipPrompt(items);
    }
  }

  function answerNow(event) {
    var target = document.querySelector(event.currentTarget.getAttribute("href"));
    if (!target) { return; }
    event.preventDefault();
    var first = target.querySelector("input");
    if (first) { first.focus(); }
    target.scrollIntoView({ block: "start" });
  }

  function clearMark(event) {
    var item = event.target.closest("fieldset.item");
    if (item) { item.classList.remove("unanswered"); }
  }

  function keepAnswersOnLanguageSwitch(event) {
    if (!form.querySelector("input[type=radio]:checked") || sending) { return; }
    event.preventDefault();
    [["action", "stay"], ["lang", event.currentTarget.getAttribute("data-lang")]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    sending = true;
    form.submit();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), guardDoubleSubmit);
  if (!form) { return; }
  form.addEventListener("submit", onPageSubmit, true);
  form.addEventListener("change", clearMark);
  document.getElementById("answer-now").addEventListener("click", answerNow);
  Array.prototype.forEach.call(document.querySelectorAll("a[data-lang]"), function (link) {
    link.addEventListener("click", keepAnswersOnLanguageSwitch);
  });
}());
