// The chat widget for other sites: <script src="https://<our host>/widget.js" defer></script>
// adds a round button (bottom right) that opens the chat (/nhung) in a panel.
// Styles go through element.style only, so the host page's CSP for <style> does not matter;
// every property is set !important so the host's CSS cannot bend the widget out of shape.
// The frame loads on the first opening only: nothing heavy for visitors who never use it.
// Global: window.troLyWidget = { open, close }.
(function () {
  "use strict";

  if (window.troLyWidget || document.getElementById("troly-widget-button")) return; // included twice

  var TITLE = "Trợ lý hướng dẫn VNeID và dịch vụ công";
  var BRAND = "#0b3d91";
  var FOCUS = "#c75000";
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';
  var NARROW = "(max-width: 479px)";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var CHAT_ICON =
    "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" +
    "M7 9h10M7 13h6";
  var CLOSE_ICON = "M6 6l12 12M18 6L6 18";

  var script = document.currentScript;
  var origin = null;
  try {
    origin = new URL(script && script.src ? script.src : "/widget.js", window.location.href).origin;
  } catch (e) {
    return; // a browser this old could not show the chat either
  }

  var button, buttonIcon, panel, frame, closeButton, savedOverflow;
  var opened = false;

  function css(node, rules) {
    node.style.setProperty("all", "initial", "important");
    Object.keys(rules).forEach(function (name) {
      node.style.setProperty(name, rules[name], "important");
    });
    return node;
  }

  // A visible focus ring, since "all: initial" also removes the browser's own.
  function focusRing(node) {
    function show(on) {
      var keyboard = true;
      try {
        keyboard = node.matches(":focus-visible");
      } catch (e) {
        /* old browser: always show it */
      }
      node.style.setProperty("outline", on && keyboard ? "3px solid " + FOCUS : "none", "important");
      node.style.setProperty("outline-offset", "3px", "important");
    }
    node.addEventListener("focus", function () { show(true); });
    node.addEventListener("blur", function () { show(false); });
  }

  function icon(path, size) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    css(svg, { display: "block", width: size + "px", height: size + "px" });
    var shape = document.createElementNS(SVG_NS, "path");
    shape.setAttribute("d", path);
    // Not reset with "all": that would also reset the path's "d".
    set(shape, {
      fill: "none",
      stroke: "#fff",
      "stroke-width": "2",
      "stroke-linecap": "round",
      "stroke-linejoin": "round",
      display: "inline",
      visibility: "visible",
    });
    svg.appendChild(shape);
    return svg;
  }

  // Text styles, since the host page's own fonts and sizes are reset away.
  function text(color, more) {
    var rules = { "box-sizing": "border-box", "font-family": FONT, "font-size": "18px", "line-height": "1.4", color: color };
    Object.keys(more || {}).forEach(function (name) {
      rules[name] = more[name];
    });
    return rules;
  }

  function build() {
    button = css(document.createElement("button"), {
      position: "fixed",
      right: "16px",
      bottom: "16px",
      "z-index": "2147483000",
      display: "flex",
      "align-items": "center",
      "justify-content": "center",
      "box-sizing": "border-box",
      width: "64px",
      height: "64px",
      margin: "0",
      padding: "0",
      border: "2px solid #fff",
      "border-radius": "50%",
      background: BRAND,
      "box-shadow": "0 2px 10px rgba(0, 0, 0, 0.35)",
      cursor: "pointer",
    });
    button.type = "button";
    button.id = "troly-widget-button";
    button.title = "Hỏi đáp VNeID";
    button.setAttribute("aria-label", "Mở trợ lý hỏi đáp VNeID");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "troly-widget-panel");
    button.appendChild(icon(CHAT_ICON, 34));
    buttonIcon = button.querySelector("path");
    focusRing(button);
    button.addEventListener("click", function () {
      if (opened) close();
      else open();
    });

    panel = css(document.createElement("div"), { display: "none" });
    panel.id = "troly-widget-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", TITLE);
    panel.tabIndex = -1; // focused on opening, so screen readers announce the panel's name

    var bar = css(document.createElement("div"), {
      display: "flex",
      "align-items": "center",
      gap: "8px",
      flex: "0 0 auto",
      padding: "4px 4px 4px 12px",
      background: BRAND,
    });
    var name = css(document.createElement("span"), text("#fff", { flex: "1 1 auto", "font-weight": "700" }));
    name.textContent = "Trợ lý hỏi đáp VNeID";
    closeButton = css(
      document.createElement("button"),
      text(BRAND, {
        "min-width": "48px",
        "min-height": "48px",
        padding: "0 14px",
        border: "2px solid #fff",
        "border-radius": "8px",
        background: "#fff",
        "font-weight": "700",
        cursor: "pointer",
      })
    );
    closeButton.type = "button";
    closeButton.textContent = "Đóng ✕";
    closeButton.setAttribute("aria-label", "Đóng trợ lý");
    focusRing(closeButton);
    closeButton.addEventListener("click", close);
    bar.appendChild(name);
    bar.appendChild(closeButton);

    // Shown until the frame paints over it: on a slow network the panel is not just blank.
    var wait = css(
      document.createElement("p"),
      text("#333", { position: "absolute", left: "0", right: "0", margin: "24px 16px", "text-align": "center" })
    );
    wait.textContent = "Đang mở trợ lý, xin bạn chờ một chút…";
    var body = css(document.createElement("div"), { position: "relative", flex: "1 1 auto", "min-height": "0" });
    body.appendChild(wait);

    panel.appendChild(bar);
    panel.appendChild(body);
    panel.addEventListener("keydown", escape);
    button.addEventListener("keydown", escape);
    document.body.appendChild(panel);
    document.body.appendChild(button);

    // Escape pressed inside the frame: chat.js asks us to close.
    window.addEventListener("message", function (event) {
      if (opened && frame && event.source === frame.contentWindow && event.origin === origin &&
          event.data === "troly-widget:close") {
        close();
      }
    });
    if (window.matchMedia) {
      var query = window.matchMedia(NARROW);
      var relayout = function () { if (opened) layout(); };
      if (query.addEventListener) query.addEventListener("change", relayout);
      else if (query.addListener) query.addListener(relayout);
    }
  }

  function escape(event) {
    if (event.key === "Escape" || event.key === "Esc") close();
  }

  function narrow() {
    return window.matchMedia ? window.matchMedia(NARROW).matches : window.innerWidth < 480;
  }

  function set(node, rules) {
    Object.keys(rules).forEach(function (name) {
      node.style.setProperty(name, rules[name], "important");
    });
  }

  // Full screen on a narrow phone; a 380 x 600 panel above the button otherwise.
  function layout() {
    var full = narrow();
    set(panel, {
      position: "fixed",
      "z-index": "2147483001",
      display: "flex",
      "flex-direction": "column",
      "box-sizing": "border-box",
      overflow: "hidden",
      background: "#fff",
      top: full ? "0" : "auto",
      left: full ? "0" : "auto",
      right: full ? "0" : "16px",
      bottom: full ? "0" : "92px",
      width: full ? "100%" : "380px",
      height: full ? "100%" : "600px",
      "max-width": full ? "none" : "calc(100vw - 32px)",
      "max-height": full ? "none" : "calc(100vh - 108px)",
      border: full ? "0" : "2px solid " + BRAND,
      "border-radius": full ? "0" : "12px",
      "box-shadow": full ? "none" : "0 4px 24px rgba(0, 0, 0, 0.35)",
    });
    // Full screen: the panel has its own close button, and the round one would cover "Gửi".
    set(button, { display: full ? "none" : "flex" });
    var root = document.documentElement;
    if (full && savedOverflow === undefined) {
      savedOverflow = root.style.getPropertyValue("overflow");
      root.style.setProperty("overflow", "hidden"); // the page behind must not scroll
    } else if (!full) {
      restoreScroll();
    }
  }

  function restoreScroll() {
    if (savedOverflow === undefined) return;
    document.documentElement.style.setProperty("overflow", savedOverflow);
    savedOverflow = undefined;
  }

  function open() {
    if (!button) return;
    if (!frame) {
      frame = css(document.createElement("iframe"), {
        position: "absolute",
        top: "0",
        left: "0",
        display: "block",
        width: "100%",
        height: "100%",
        border: "0",
      });
      frame.id = "troly-widget-frame";
      frame.title = TITLE;
      frame.src = origin + "/nhung";
      panel.lastChild.appendChild(frame);
    }
    opened = true;
    button.setAttribute("aria-expanded", "true");
    buttonIcon.setAttribute("d", CLOSE_ICON);
    layout();
    panel.focus();
  }

  function close() {
    if (!button || !opened) return;
    opened = false;
    set(panel, { display: "none" });
    set(button, { display: "flex" });
    restoreScroll();
    button.setAttribute("aria-expanded", "false");
    buttonIcon.setAttribute("d", CHAT_ICON);
    button.focus();
  }

  window.troLyWidget = { open: open, close: close };

  if (document.body) build();
  else document.addEventListener("DOMContentLoaded", build);
})();
