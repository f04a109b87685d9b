// The chat (/ and the widget's panel /nhung): talks only to /api/chat on this server.
// Text from the user or the bot is only ever put in text nodes, never parsed as HTML.
// window.troLyChat lets the desk view (/quay, same origin) reset the chat or ask for a topic.
"use strict";

(function () {
  var SESSION_KEY = "troly.session"; // localStorage: a reload continues the conversation
  var TRANSCRIPT_KEY = "troly.transcript"; // sessionStorage: gone when the tab is closed
  var MAX_ENTRIES = 200;
  var TIMEOUT_MS = 25000; // slow mobile networks: generous, but a dead connection must end
  var HOTLINE = "Nếu cần hỗ trợ ngay, bạn có thể gọi tổng đài 1900 0368.";
  var MSG_OFFLINE =
    "Chưa gửi được vì mất kết nối mạng. Câu hỏi của bạn vẫn được giữ lại: " +
    "khi có mạng, trợ lý sẽ tự gửi lại, hoặc bạn bấm “Gửi lại”.";
  var MSG_SERVER = "Xin lỗi, hệ thống đang bận, xin bạn thử lại sau ít phút. " + HOTLINE;
  var MSG_NO_REPLY = "Trợ lý chưa có câu trả lời cho câu này. Bạn thử hỏi theo cách khác nhé.";
  var MSG_NO_TOPIC =
    "Xin lỗi, không tìm thấy chủ đề bạn vừa mở. Có thể đường dẫn đã cũ. Bạn hãy gõ câu hỏi ở ô bên dưới nhé.";
  var MSG_TOPIC_OFFLINE =
    "Chưa tải được chủ đề bạn vừa mở vì mất kết nối mạng. Khi có mạng, bạn hãy tải lại trang này.";
  var UNSENT = "Chưa gửi được";
  var MSG_LOCATION_DENIED =
    "Bạn chưa cho phép trang này biết vị trí. Bạn gõ tên xã, phường nơi bạn ở nhé, ví dụ: “phường Bến Thành”.";
  var MSG_NO_LOCATION =
    "Chưa lấy được vị trí của bạn. Bạn gõ tên xã, phường nơi bạn ở nhé, ví dụ: “xã Nghi Lộc, Nghệ An”.";
  var STEP_NAV = { "/next_step": true, "/previous_step": true };
  var URL_RE = /https?:\/\/[^\s<>"'“”]+/g;
  var TRAILING_PUNCT = /[.,;:!?)\]}»’]+$/;
  var BULLET = /^\s*[-•]\s+(.*)$/;
  var NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;

  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var typing = document.getElementById("typing");
  var newChatButton = document.getElementById("new-chat");
  var embedded = document.body.classList.contains("embed");

  // In the desk view (/nhung?quay) nothing outlives the page: a reload at the counter must
  // not bring back the previous citizen's conversation.
  var memoryOnly = /[?&]quay(=|&|$)/.test(window.location.search);
  var memory = {};

  var busy = false;
  var generation = 0; // bumped by a reset so a late answer is not shown in the new conversation
  var inflight = null; // the AbortController of the request under way
  var pending = null; // a message that could not be delivered and may be sent again
  var queued = null; // an ask() that came while busy: [message, shown]
  var transcript = loadTranscript();

  // --- storage ------------------------------------------------------------------------------

  function storageGet(store, key) {
    if (memoryOnly) return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
    try {
      return window[store].getItem(key);
    } catch (e) {
      return null; // storage disabled (private mode): the chat still works
    }
  }

  function storageSet(store, key, value) {
    if (memoryOnly) {
      if (value === null) delete memory[key];
      else memory[key] = value;
      return;
    }
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

  function save() {
    if (transcript.length > MAX_ENTRIES) transcript = transcript.slice(-MAX_ENTRIES);
    storageSet("sessionStorage", TRANSCRIPT_KEY, JSON.stringify(transcript));
  }

  // --- building blocks ----------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function isText(value) {
    return typeof value === "string" && value.trim() !== "";
  }

  function isWebUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url);
  }

  function makeLink(url, title) {
    var a = el("a", "", title);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function makeButton(title, className, onClick) {
    var button = el("button", className, title);
    button.type = "button";
    button.disabled = busy;
    button.addEventListener("click", onClick);
    return button;
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

  // Bot text: a paragraph per line; "- " and "• " lines as a list, "1. " lines as a numbered one.
  function appendFormatted(parent, text) {
    var list = null;
    String(text).split(/\r?\n/).forEach(function (line) {
      var bullet = BULLET.exec(line);
      var numbered = !bullet && NUMBERED.exec(line);
      if (!line.trim()) return; // a blank line does not break a list
      if (!bullet && !numbered) {
        list = null;
        var p = el("p");
        appendLinkified(p, line.trim());
        parent.appendChild(p);
        return;
      }
      var tag = bullet ? "UL" : "OL";
      if (!list || list.tagName !== tag) list = parent.appendChild(el(tag));
      var li = el("li");
      if (numbered) li.value = parseInt(numbered[1], 10);
      appendLinkified(li, (bullet || numbered)[bullet ? 1 : 2]);
      list.appendChild(li);
    });
  }

  function speaker(label) {
    return el("span", "sr-only", label);
  }

  function choices(buttons) {
    var group = el("div", "buttons");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Các lựa chọn");
    buttons.forEach(function (b) {
      group.appendChild(
        makeButton(b.title, "choice", function () {
          send(b.payload, b.title, false, true);
        })
      );
    });
    return group;
  }

  // --- rendering ----------------------------------------------------------------------------

  function render(entry) {
    var node;
    if (entry.role === "user") {
      node = el("p", "msg user");
      node.appendChild(speaker("Bạn: "));
      node.appendChild(document.createTextNode(entry.text));
      if (entry.unsent) markUnsent(node);
    } else if (entry.role === "notice" || entry.role === "error") {
      node = el("p", "msg " + entry.role, entry.text);
    } else {
      node = renderBot(entry);
    }
    log.appendChild(node);
    return node;
  }

  function renderBot(entry) {
    var node = el("div", "msg bot");
    var card = entry.card && typeof entry.card === "object" ? entry.card : null;
    var step = card && card.type === "step" && card.number >= 1 && card.total >= card.number;
    var answer = card && card.type === "answer" && Array.isArray(card.answers) && card.answers.length > 0;
    var placeList = card && card.type === "places" && Array.isArray(card.items);
    // A card carries everything it shows (bot/cards.py); its text is for channels without cards.
    var text = step || answer ? "" : isText(entry.text) ? entry.text : "";
    node.appendChild(speaker("Trợ lý: "));
    // The text lists the points for text-only channels; the card shows them here.
    if (placeList) text = isText(card.lead) ? card.lead : "";
    if (text) appendFormatted(node.appendChild(el("div", "text")), text);
    if (step) node.appendChild(stepCard(card));
    else if (answer) node.appendChild(answerCard(card));
    else if (placeList) {
      node.appendChild(places(card.items));
      if (isText(card.note)) node.appendChild(el("p", "places-note", card.note));
    } else if (card && card.type === "ask_location") node.appendChild(locationButton());
    if (step || answer) node.classList.add("has-card");

    var buttons = (Array.isArray(entry.buttons) ? entry.buttons : []).filter(function (b) {
      return b && isText(b.title) && isText(b.payload) && !(step && STEP_NAV[b.payload]);
    });
    if (buttons.length) node.appendChild(choices(buttons));

    var links = (Array.isArray(entry.links) ? entry.links : []).filter(function (l) {
      return l && isWebUrl(l.url);
    });
    if (links.length) {
      var list = el("ul", "links");
      links.forEach(function (l) {
        list.appendChild(el("li")).appendChild(makeLink(l.url, l.title || l.url));
      });
      node.appendChild(list);
    }
    return node;
  }

  function stepCard(card) {
    // Only the newest card keeps its previous/next buttons: older ones would move from the
    // bot's current step, not from the step they show.
    Array.prototype.forEach.call(log.querySelectorAll(".step-card"), function (old) {
      old.classList.add("past");
    });
    var box = el("section", "step-card");
    box.appendChild(el("h2", "step-count", "Bước " + card.number + "/" + card.total));
    if (isText(card.title)) box.appendChild(el("p", "step-procedure", card.title));

    var bar = box.appendChild(el("div", "step-progress"));
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", "Tiến độ");
    bar.setAttribute("aria-valuemin", "1");
    bar.setAttribute("aria-valuemax", String(card.total));
    bar.setAttribute("aria-valuenow", String(card.number));
    bar.setAttribute("aria-valuetext", "Bước " + card.number + " trên tổng số " + card.total + " bước");
    for (var i = 1; i <= Math.min(card.total, 50); i += 1) {
      bar.appendChild(el("span", i <= card.number ? "done" : ""));
    }

    if (isText(card.text)) appendFormatted(box.appendChild(el("div", "step-text")), card.text);
    if (card.last) {
      box.appendChild(el("p", "step-extra", "Đây là bước cuối cùng."));
      if (isWebUrl(card.source)) box.appendChild(sourceLine(card.source, card.last_reviewed));
    }

    var nav = el("div", "step-nav");
    if (card.number > 1) {
      nav.appendChild(
        makeButton("Bước trước", "choice step-prev", function () {
          send("/previous_step", "Bước trước", false, true);
        })
      );
    }
    if (card.number < card.total) {
      nav.appendChild(
        makeButton("Bước tiếp", "choice step-next", function () {
          send("/next_step", "Bước tiếp", false, true);
        })
      );
    }
    if (nav.firstChild) box.appendChild(nav);

    guideLink(box, card.guide_url);
    return box;
  }

  function guideLink(box, guide) {
    if (typeof guide === "string" && (/^\/[^/\\\s][^\s]*$/.test(guide) || isWebUrl(guide))) {
      var a = el("a", "step-guide", "Xem cả hướng dẫn");
      a.href = guide;
      if (embedded || isWebUrl(guide)) {
        // Inside another site's page, the guide opens in a tab of its own.
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      }
      box.appendChild(a);
    }
  }

  function sourceLine(url, reviewed) {
    var p = el("p", "card-source", "Thông tin chính thức: ");
    p.appendChild(makeLink(url, url.replace(/^https?:\/\//, "").replace(/\/$/, "")));
    if (isText(reviewed)) p.appendChild(document.createTextNode(" (cập nhật " + reviewed + ")"));
    return p;
  }

  function answerCard(card) {
    // The direct answer first, then what to do next (the message's buttons), then the source.
    var box = el("section", "answer-card");
    if (isText(card.title)) box.appendChild(el("p", "step-procedure", card.title));
    card.answers.forEach(function (a) {
      if (a && isText(a.text)) appendFormatted(box.appendChild(el("div", "answer-text")), a.text);
    });
    if (isWebUrl(card.source)) box.appendChild(sourceLine(card.source, card.last_reviewed));
    guideLink(box, card.guide_url);
    return box;
  }

  function places(items) {
    var list = el("ul", "places");
    list.setAttribute("aria-label", "Các điểm hỗ trợ");
    items.forEach(function (item) {
      if (!item || !isText(item.name)) return;
      var li = list.appendChild(el("li", "place"));
      li.appendChild(el("p", "place-name", item.name));
      if (isText(item.kind)) li.appendChild(el("p", "place-kind", item.kind));
      if (isText(item.address)) li.appendChild(el("p", "place-address", item.address));
      var when = [item.distance ? "Cách bạn " + item.distance : "", item.status || ""].filter(isText);
      if (when.length) li.appendChild(el("p", "place-status", when.join(" · ")));
      if (isText(item.hours)) li.appendChild(el("p", "place-hours", "Giờ làm việc: " + item.hours));
      if (isText(item.services)) li.appendChild(el("p", "place-services", "Hỗ trợ: " + item.services));
      var actions = el("p", "place-actions");
      if (isText(item.phone)) {
        var number = item.phone.replace(/[^\d+]/g, "");
        if (number.replace(/\D/g, "").length >= 3) {
          var tel = actions.appendChild(el("a", "place-phone", "Gọi " + item.phone));
          tel.href = "tel:" + number;
        } else {
          actions.appendChild(el("span", "", "Điện thoại: " + item.phone));
        }
      }
      if (isWebUrl(item.map_url)) {
        var map = actions.appendChild(makeLink(item.map_url, "Xem bản đồ"));
        map.className = "place-map";
        map.setAttribute("aria-label", "Xem bản đồ: " + item.name);
      }
      if (actions.firstChild) li.appendChild(actions);
    });
    return list;
  }

  // "Dùng vị trí của tôi": the browser asks the citizen first; only coordinates rounded to
  // about 100 m leave the phone, inside the same payload a button would send.
  function locationButton() {
    var button = makeButton("Dùng vị trí của tôi", "choice locate", function () {
      if (!navigator.geolocation) {
        reveal(add({ role: "notice", text: MSG_NO_LOCATION }));
        return;
      }
      button.disabled = true;
      button.textContent = "Đang lấy vị trí…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          button.textContent = "Dùng vị trí của tôi";
          var lat = position.coords.latitude.toFixed(3);
          var lon = position.coords.longitude.toFixed(3);
          send('/ask_find_post_office{"latitude":' + lat + ',"longitude":' + lon + "}", "Vị trí của tôi", false, true);
        },
        function (error) {
          button.disabled = busy;
          button.textContent = "Dùng vị trí của tôi";
          reveal(add({ role: "notice", text: error.code === 1 ? MSG_LOCATION_DENIED : MSG_NO_LOCATION }));
        },
        { enableHighAccuracy: false, timeout: 20000, maximumAge: 600000 }
      );
    });
    var group = el("div", "buttons");
    group.appendChild(button);
    return group;
  }

  function markUnsent(node) {
    node.classList.add("unsent");
    if (!node.querySelector(".unsent-note")) node.appendChild(el("span", "unsent-note", UNSENT));
  }

  function add(entry) {
    transcript.push(entry);
    save();
    return render(entry);
  }

  // Show a long answer from its top; otherwise keep the newest line in view. The page itself
  // scrolls (the composer sticks to the bottom), which old phone browsers handle best.
  function reveal(first) {
    var root = document.scrollingElement || document.documentElement;
    var room = window.innerHeight - form.offsetHeight;
    if (first) {
      var top = first.getBoundingClientRect().top;
      if (log.getBoundingClientRect().bottom - top > room) {
        window.scrollTo(0, window.pageYOffset + top - 8);
        return;
      }
    }
    window.scrollTo(0, root.scrollHeight);
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    Array.prototype.forEach.call(log.querySelectorAll("button.choice, button.retry"), function (b) {
      b.disabled = value;
    });
    if (value) reveal(null);
  }

  // --- sending ------------------------------------------------------------------------------

  function post(message) {
    var body = { message: message };
    var session = storageGet("localStorage", SESSION_KEY);
    if (session) body.session = session;
    var controller = "AbortController" in window ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    inflight = controller;
    function done() {
      if (timer) clearTimeout(timer);
    }
    return fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined,
    }).then(
      function (response) {
        done();
        return response.json().then(
          function (data) { return { status: response.status, data: data || {} }; },
          function () { return { status: response.status, data: {} }; }
        );
      },
      function (error) {
        done();
        throw error;
      }
    );
  }

  // message: what the server gets; shown: what the user sees (a button's title);
  // pressed: sent by a button of this page (focus may need a new home afterwards).
  function send(message, shown, fromInput, pressed) {
    message = (message || "").trim();
    if (!message) return;
    if (busy) {
      if (!fromInput) queued = [message, shown];
      return;
    }
    if (pending) {
      if (message === pending.message || message === pending.entry.text) {
        if (fromInput) setInput("");
        retry();
        return;
      }
      abandon();
    }
    var entry = { role: "user", text: shown || message };
    if (shown && shown !== message) entry.payload = message;
    var job = { message: message, entry: entry, node: add(entry), typed: !!fromInput, line: null };
    if (fromInput) setInput("");
    job.pressed = !!pressed;
    deliver(job);
  }

  function deliver(job) {
    var mine = generation;
    var refocus = null;
    setBusy(true);
    post(job.message)
      .then(function (result) {
        // A stored session the server refuses (corrupted storage): start afresh once.
        if (mine === generation && result.status === 400 && result.data.field === "session") {
          storageSet("localStorage", SESSION_KEY, null);
          return post(job.message);
        }
        return result;
      })
      .then(
        function (result) {
          if (mine !== generation) return;
          if (result.status === 200) {
            delivered(job);
            var shown = showReplies(result.data);
            if (job.pressed) refocus = settle(shown);
          } else {
            failed(job, result.data.error || MSG_SERVER, result.status >= 500);
          }
        },
        function () {
          if (mine === generation) failed(job, MSG_OFFLINE, true);
        }
      )
      .then(finish, function (error) {
        finish();
        setTimeout(function () { throw error; }); // a bug: reported, but the chat stays usable
      });
    function finish() {
      if (mine !== generation) return;
      inflight = null;
      setBusy(false);
      if (refocus) refocus();
      var next = queued;
      queued = null;
      if (next) send(next[0], next[1], false);
    }
  }

  function showReplies(data) {
    if (typeof data.session === "string") storageSet("localStorage", SESSION_KEY, data.session);
    var first = data.warning ? add({ role: "notice", text: data.warning }) : null;
    var answered = false;
    var card = null;
    (Array.isArray(data.messages) ? data.messages : []).forEach(function (m) {
      if (!m || typeof m !== "object") return;
      var node = add({ role: "bot", text: m.text, buttons: m.buttons, links: m.links, card: m.card });
      first = first || node;
      answered = true;
      card = node.querySelector(".step-card") || card;
    });
    if (!answered) first = first || add({ role: "notice", text: MSG_NO_REPLY });
    reveal(first);
    return { first: first, card: card };
  }

  // Where focus goes once the buttons are usable again, if the pressed one is gone or was
  // disabled meanwhile: the new card's "next" button (Enter again goes on), else the answer.
  function settle(shown) {
    return function () {
      var active = document.activeElement;
      if (active && active !== document.body && active.getClientRects().length && !active.disabled) return;
      var target = shown.card && (shown.card.querySelector(".step-next") || shown.card.querySelector(".step-prev"));
      if (!target) {
        target = shown.first;
        target.tabIndex = -1;
      }
      target.focus({ preventScroll: true });
    };
  }

  function delivered(job) {
    if (!job.entry.unsent) return;
    delete job.entry.unsent;
    delete job.entry.retry;
    save();
    job.node.classList.remove("unsent");
    var note = job.node.querySelector(".unsent-note");
    if (note) job.node.removeChild(note);
  }

  function failed(job, reason, retryable) {
    job.entry.unsent = true;
    job.entry.retry = retryable;
    save();
    markUnsent(job.node);
    // Keep what the user typed so nothing has to be typed again.
    if (job.typed && !input.value.trim()) setInput(job.message);
    if (!retryable) {
      reveal(add({ role: "error", text: reason }));
      return;
    }
    pending = job;
    showRetry(job, reason);
    reveal(job.line);
  }

  function showRetry(job, reason) {
    var line = el("div", "msg error");
    line.appendChild(el("p", "", reason));
    line.appendChild(makeButton("Gửi lại", "retry", retry));
    job.line = log.appendChild(line); // not stored: rebuilt from the unsent entry on reload
  }

  function dropLine(job) {
    if (job.line && job.line.parentNode) job.line.parentNode.removeChild(job.line);
    job.line = null;
  }

  function retry() {
    if (!pending || busy) return;
    var job = pending;
    pending = null;
    dropLine(job);
    if (job.typed && input.value.trim() === job.message) setInput("");
    deliver(job);
  }

  // The user asks something else instead: the unsent message stays marked as not sent.
  function abandon() {
    dropLine(pending);
    pending.entry.retry = false;
    save();
    pending = null;
  }

  // --- the conversation as a whole ------------------------------------------------------------

  function reset() {
    generation += 1;
    if (inflight) inflight.abort();
    inflight = null;
    pending = null;
    queued = null;
    storageSet("localStorage", SESSION_KEY, null);
    storageSet("sessionStorage", TRANSCRIPT_KEY, null);
    transcript = [];
    Array.prototype.slice.call(log.children).forEach(function (node) {
      if (!node.classList.contains("welcome")) log.removeChild(node);
    });
    setBusy(false);
    setInput("");
    window.scrollTo(0, 0);
  }

  function restore() {
    transcript.forEach(render);
    var last = transcript[transcript.length - 1];
    if (last && last.role === "user" && last.unsent && last.retry) {
      var job = {
        message: last.payload || last.text,
        entry: last,
        node: log.lastElementChild,
        typed: !last.payload,
        line: null,
      };
      pending = job;
      showRetry(job, MSG_OFFLINE);
      if (job.typed) setInput(job.message);
    }
    reveal(null);
  }

  // "?chu-de=<slug>" from a guide's "Hỏi tiếp trợ lý về việc này": start on that procedure.
  function openTopic() {
    var slug = null;
    try {
      slug = new URLSearchParams(window.location.search).get("chu-de");
    } catch (e) {
      return;
    }
    if (slug === null) return;
    function forget() {
      try {
        var url = new URL(window.location.href);
        url.searchParams.delete("chu-de");
        window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
      } catch (e) {
        /* old browser: a reload asks again, which is harmless */
      }
    }
    slug = slug.trim();
    if (!slug) {
      forget();
      return;
    }
    var mine = generation;
    setBusy(true);
    fetch("/api/procedures/" + encodeURIComponent(slug), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(
          function (body) { return { status: response.status, body: body || {} }; },
          function () { return { status: response.status, body: {} }; }
        );
      })
      .then(
        function (result) {
          if (mine !== generation) return;
          setBusy(false);
          var body = result.body;
          if (result.status === 200 && isText(body.chat_payload)) {
            forget();
            ask(body.chat_payload, isText(body.title) ? body.title : body.chat_payload);
          } else if (result.status === 404 || result.status === 400) {
            forget();
            reveal(add({ role: "notice", text: MSG_NO_TOPIC }));
          } else {
            reveal(add({ role: "notice", text: body.error || MSG_SERVER }));
          }
        },
        function () {
          if (mine !== generation) return;
          setBusy(false);
          reveal(add({ role: "notice", text: MSG_TOPIC_OFFLINE }));
        }
      );
  }

  function ask(payloadOrText, shownText) {
    send(String(payloadOrText || ""), isText(shownText) ? shownText : null, false);
  }

  // --- events -------------------------------------------------------------------------------

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

  // The box starts one line high (room for the answers on small screens) and grows with the text.
  function fit() {
    input.style.height = "";
    if (input.scrollHeight > input.clientHeight) input.style.height = input.scrollHeight + 4 + "px";
  }
  input.addEventListener("input", fit);

  function setInput(value) {
    input.value = value;
    fit();
  }

  newChatButton.addEventListener("click", function () {
    reset();
    input.focus();
  });

  // Back online: send what is waiting, once.
  window.addEventListener("online", function () {
    if (pending && !busy) retry();
  });

  // In the widget's panel on another site, Escape closes the panel (widget.js listens).
  if (embedded && window.parent !== window) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") window.parent.postMessage("troly-widget:close", "*");
    });
  }

  window.troLyChat = { reset: reset, ask: ask };

  restore();
  openTopic();
})();
