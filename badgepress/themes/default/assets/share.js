// Copy buttons on the earner page: each copies the text of the element named by data-copy.
// The buttons stay hidden without JavaScript; the text is selectable either way.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function textOf(target) {
    return target.tagName === "TEXTAREA" || target.tagName === "INPUT" ? target.value : target.textContent.trim();
  }

  function selectText(target) {
    if (target.tagName === "TEXTAREA" || target.tagName === "INPUT") {
      target.focus();
      target.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copied(button) {
    var label = button.textContent;
    button.textContent = button.dataset.copied;
    if (status) status.textContent = button.dataset.copied;
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }

  function copy(button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target) return;
    var text = textOf(target);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); }, function () {
        selectText(target); // no permission: leave the text selected for Ctrl+C
      });
    } else {
      selectText(target);
      try {
        if (document.execCommand("copy")) copied(button);
      } catch (error) { /* the text stays selected */ }
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
