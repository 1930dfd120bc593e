// The OAuth callback page of a Connect flow that ran in a popup (the portal was framed by the host
// platform). This window does not carry the framed portal's session cookie, so it cannot finish the
// flow itself: it hands the provider's answer to the portal window that opened it, which finishes it
// inside its own session (POST api/connect/<provider>/complete), then closes. Without an opener on the
// portal's own origin it does nothing but leave the page's explanation visible.
(function () {
  "use strict";
  var main = document.querySelector("main[data-provider]");
  if (!main || !window.opener || window.opener === window) {
    return;
  }
  var query = new URLSearchParams(window.location.search);
  var params = {};
  ["code", "state", "error", "error_description"].forEach(function (name) {
    if (query.has(name)) {
      params[name] = query.get(name);
    }
  });
  try {
    // The target origin is this page's own: the message reaches the opener only if it is the portal.
    window.opener.postMessage({ type: "connectors:oauth-callback", provider: main.dataset.provider, params: params },
      window.location.origin);
  } catch (e) {
    return;
  }
  var status = document.getElementById("relay-status");
  if (status) {
    status.textContent = "Handed over to the portal window, which finishes connecting. You can close this window.";
  }
  window.close();
})();
