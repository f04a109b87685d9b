// Chat page: talks only to /api/chat on this server. User and bot text always
// goes through textContent, never parsed as HTML.
"use strict";

(function () {
  var SESSION_KEY = "troly.session"; // localStorage: a reload continues the conversation
  var TRANSCRIPT_KEY = "troly.transcript"; // sessionStorage: gone when the tab is closed
  var MAX_ENTRIES = 200;
  var TIMEOUT_MS = 25000;
  var MSG_NETWORK =
    "Không kết nối được với máy chủ. Xin bạn kiểm tra mạng và thử lại. " +
    "Nếu cần hỗ trợ ngay, bạn có thể gọi tổng đài 1900 0368.";
  var MSG_NO_REPLY = "Trợ lý chưa có câu trả lời cho câu này. Bạn thử hỏi theo cách khác nhé.";
  var URL_RE = /https?:\/\/[^\s<>"'“”]+/g;
  var TRAILING_PUNCT = /[.,;:!?)\]}»’]+$/;

  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var typing = document.getElementById("typing");
  var newChatButton = document.getElementById("new-chat");

  var busy = false;
  var generation = 0; // bumped by "new chat" so a late answer is not shown in the new one
  var transcript = loadTranscript();

  function storageGet(store, key) {
    try {
      return window[store].getItem(key);
    } catch (e) {
      return null; // storage disabled (private mode): the chat still works
    }
  }

  function storageSet(store, key, value) {
    try {
      if (value === null) window[store].removeItem(key);
      else window[store].setItem(key, value);
    } catch (e) {
      /* ignore: see storageGet */
    }
  }

  function loadTranscript() {
    try {
      var entries = JSON.parse(storageGet("sessionStorage", TRANSCRIPT_KEY) || "[]");
      return Array.isArray(entries) ? entries : [];
    } catch (e) {
      return [];
    }
  }

  function remember(entry) {
    transcript.push(entry);
    if (transcript.length > MAX_ENTRIES) transcript = transcript.slice(-MAX_ENTRIES);
    storageSet("sessionStorage", TRANSCRIPT_KEY, JSON.stringify(transcript));
  }

  function isWebUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url);
  }

  function makeLink(url, title) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = title;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  // Text with its http(s) URLs turned into links, built node by node.
  function appendLinkified(parent, text) {
    var last = 0;
    var match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      var url = match[0].replace(TRAILING_PUNCT, "");
      if (!isWebUrl(url) || url.length < 9) continue;
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(makeLink(url, url));
      last = match.index + url.length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function speaker(label) {
    var span = document.createElement("span");
    span.className = "sr-only";
    span.textContent = label;
    return span;
  }

  function render(entry) {
    var el;
    if (entry.role === "user") {
      el = document.createElement("p");
      el.className = "msg user";
      el.appendChild(speaker("Bạn: "));
      el.appendChild(document.createTextNode(entry.text));
    } else if (entry.role === "notice" || entry.role === "error") {
      el = document.createElement("p");
      el.className = "msg " + entry.role;
      el.textContent = entry.text;
    } else {
      el = renderBot(entry);
    }
    log.appendChild(el);
    return el;
  }

  function renderBot(entry) {
    var el = document.createElement("div");
    el.className = "msg bot";
    if (entry.text) {
      var p = document.createElement("p");
      p.className = "text";
      p.appendChild(speaker("Trợ lý: "));
      appendLinkified(p, entry.text);
      el.appendChild(p);
    }
    var buttons = Array.isArray(entry.buttons) ? entry.buttons : [];
    if (buttons.length) {
      var group = document.createElement("div");
      group.className = "buttons";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Các lựa chọn");
      buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "choice";
        button.textContent = b.title;
        button.addEventListener("click", function () {
          send(b.payload, b.title, false);
        });
        group.appendChild(button);
      });
      el.appendChild(group);
    }
    var links = (Array.isArray(entry.links) ? entry.links : []).filter(function (l) {
      return l && isWebUrl(l.url);
    });
    if (links.length) {
      var list = document.createElement("ul");
      list.className = "links";
      links.forEach(function (l) {
        var li = document.createElement("li");
        li.appendChild(makeLink(l.url, l.title || l.url));
        list.appendChild(li);
      });
      el.appendChild(list);
    }
    return el;
  }

  function add(entry) {
    remember(entry);
    return render(entry);
  }

  // Show a long answer from its top; otherwise keep the newest line in view.
  function reveal(first) {
    if (first && log.scrollHeight - first.offsetTop > log.clientHeight) {
      log.scrollTop = first.offsetTop - 8; // .log is position: relative
    } else {
      log.scrollTop = log.scrollHeight;
    }
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    Array.prototype.forEach.call(log.querySelectorAll("button.choice"), function (b) {
      b.disabled = value;
    });
    if (value) log.scrollTop = log.scrollHeight;
  }

  function post(message) {
    var body = { message: message };
    var session = storageGet("localStorage", SESSION_KEY);
    if (session) body.session = session;
    var controller = "AbortController" in window ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    return fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.json().then(
          function (data) { return { status: response.status, data: data || {} }; },
          function () { return { status: response.status, data: {} }; }
        );
      })
      .finally(function () { if (timer) clearTimeout(timer); });
  }

  function send(message, shown, fromInput) {
    message = (message || "").trim();
    if (busy || !message) return;
    var mine = generation;
    add({ role: "user", text: shown || message });
    if (fromInput) input.value = "";
    setBusy(true);
    post(message)
      .then(function (result) {
        // A stored session the server refuses (corrupted storage): start afresh once.
        if (result.status === 400 && result.data.field === "session") {
          storageSet("localStorage", SESSION_KEY, null);
          return post(message);
        }
        return result;
      })
      .then(function (result) {
        if (mine !== generation) return;
        var data = result.data;
        if (result.status !== 200) {
          reveal(add({ role: "error", text: data.error || MSG_NETWORK }));
          return;
        }
        if (typeof data.session === "string") storageSet("localStorage", SESSION_KEY, data.session);
        var first = null;
        if (data.warning) first = add({ role: "notice", text: data.warning });
        var messages = Array.isArray(data.messages) ? data.messages : [];
        messages.forEach(function (m) {
          var el = add({ role: "bot", text: m.text, buttons: m.buttons, links: m.links });
          first = first || el;
        });
        if (!messages.length) first = first || add({ role: "notice", text: MSG_NO_REPLY });
        reveal(first);
      })
      .catch(function () {
        if (mine === generation) reveal(add({ role: "error", text: MSG_NETWORK }));
      })
      .finally(function () {
        if (mine === generation) setBusy(false);
      });
  }

  function newChat() {
    generation += 1;
    storageSet("localStorage", SESSION_KEY, null);
    storageSet("sessionStorage", TRANSCRIPT_KEY, null);
    transcript = [];
    Array.prototype.slice.call(log.children).forEach(function (el) {
      if (!el.classList.contains("welcome")) log.removeChild(el);
    });
    setBusy(false);
    input.value = "";
    input.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value, null, true);
  });

  // Enter sends, Shift+Enter breaks the line; not while an IME (Telex, VNI) is composing.
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      send(input.value, null, true);
    }
  });

  newChatButton.addEventListener("click", newChat);

  transcript.forEach(render);
  log.scrollTop = log.scrollHeight;
})();
