/* Onramp's only script (CSP: no inline scripts, no eval). It keeps live regions cheap and honest:
   polls pause while the tab is hidden, resume at once when it is shown again, and the
   "checked … ago" labels keep counting between polls. */
(function () {
  "use strict";

  function formatAgo(seconds) {
    if (seconds < 60) return Math.max(0, Math.round(seconds)) + " s";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + " min";
    var hours = Math.floor(minutes / 60);
    if (hours < 48) return hours + " h";
    return Math.floor(hours / 24) + " days";
  }

  function refreshAgo() {
    var now = Date.now();
    document.querySelectorAll("time[data-ago]").forEach(function (el) {
      var then = Date.parse(el.getAttribute("datetime"));
      if (!isNaN(then)) el.textContent = formatAgo((now - then) / 1000);
    });
  }

  // A hidden tab does not poll: cancel the request (htmx keeps the polling schedule).
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (document.hidden && event.detail.elt.hasAttribute("data-live")) event.preventDefault();
  });

  // A poll answered by the log-in page means the session ended: show that page instead of going stale.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1) window.location.reload();
  });

  document.addEventListener("visibilitychange", function () {
    document.querySelectorAll(".freshness").forEach(function (el) {
      el.classList.toggle("is-paused", document.hidden);
    });
    if (!document.hidden) document.body.dispatchEvent(new CustomEvent("onramp:visible"));
  });

  function revealCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = !navigator.clipboard; });
  }

  document.addEventListener("htmx:afterSettle", function () { refreshAgo(); revealCopyButtons(); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = "Copied";
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    revealCopyButtons();
    // On a phone the filters start folded unless some are in use.
    if (window.matchMedia("(max-width: 720px)").matches) {
      document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (el) {
        if (!el.querySelector(".badge")) el.open = false;
      });
    }
  });

  setInterval(refreshAgo, 5000);
})();
