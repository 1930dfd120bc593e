// A portal link's page. Inside a frame the page continues by itself: only the sites the operator
// allows (CSP frame-ancestors) can frame the portal, so the framing page is the host platform that
// asked for the link. Top-level it waits for the click, since any site can send a browser to any
// link. The server leaves data-continue off when the browser is signed in as someone else, so that
// question is always asked.
(function () {
  "use strict";
  var form = document.getElementById("open-link");
  if (!(form instanceof HTMLFormElement) || form.getAttribute("data-continue") !== "framed") {
    return;
  }
  var framed;
  try {
    framed = window.top !== window.self;
  } catch (e) {
    framed = true;
  }
  if (framed) {
    form.submit();
  }
})();
