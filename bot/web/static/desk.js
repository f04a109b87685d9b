// The help-desk view (/quay): search procedures, tick a checklist with the citizen, print it
// with the QR code, ask the chat, and wipe everything for the next citizen. Nothing is stored:
// the counter computer is shared.
"use strict";

(function () {
  var DEBOUNCE_MS = 200;
  var MSG_OFFLINE = "Không kết nối được với máy chủ. Xin bạn kiểm tra mạng rồi thử lại.";
  var MSG_CHAT_NOT_READY = "Khung trò chuyện chưa sẵn sàng. Xin bạn đợi vài giây rồi bấm lại.";

  function $(id) {
    return document.getElementById(id);
  }

  var search = $("desk-search");
  var results = $("desk-results");
  var count = $("desk-count");
  var message = $("desk-message");
  var panel = $("desk-procedure");
  var empty = $("desk-empty");
  var chat = $("desk-chat");
  var timer = null;
  var searchSeq = 0; // only the latest request may draw: answers can arrive out of order
  var showSeq = 0;
  var current = null;

  function say(text) {
    message.textContent = text || "";
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" }).then(
      function (response) {
        return response.json().then(
          function (body) {
            if (!response.ok) throw new Error((body && body.error) || MSG_OFFLINE);
            return body;
          },
          function () {
            throw new Error(MSG_OFFLINE);
          }
        );
      },
      function () {
        throw new Error(MSG_OFFLINE);
      }
    );
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // --- search -------------------------------------------------------------------------------

  function drawResults(list) {
    results.textContent = "";
    list.forEach(function (item) {
      var button = el("button", "result");
      button.type = "button";
      button.setAttribute("data-slug", item.slug);
      if (current && current.slug === item.slug) button.setAttribute("aria-current", "true");
      button.appendChild(el("span", "result-title", item.title));
      button.appendChild(el("span", "result-category", item.category));
      button.addEventListener("click", function () {
        show(item.slug);
      });
      var li = el("li");
      li.appendChild(button);
      results.appendChild(li);
    });
    count.textContent = list.length
      ? "Có " + list.length + " thủ tục."
      : "Không tìm thấy thủ tục nào. Bạn thử gõ từ khác, ví dụ “căn cước”.";
  }

  function runSearch() {
    window.clearTimeout(timer);
    var seq = ++searchSeq;
    var q = search.value.trim();
    getJson("/api/procedures?q=" + encodeURIComponent(q)).then(
      function (body) {
        if (seq !== searchSeq) return;
        say("");
        drawResults(body.results || []);
      },
      function (error) {
        if (seq !== searchSeq) return;
        say(error.message);
      }
    );
  }

  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(runSearch, DEBOUNCE_MS);
  });

  search.form.addEventListener("submit", function (event) {
    event.preventDefault();
    runSearch();
  });

  // --- the chosen procedure -----------------------------------------------------------------

  function checkItem(idPrefix, index, text, number) {
    var li = el("li");
    var label = el("label", "check-item");
    var box = el("input");
    box.type = "checkbox";
    box.id = idPrefix + index;
    label.htmlFor = box.id;
    label.appendChild(box);
    if (number) label.appendChild(el("span", "check-number", number + "."));
    label.appendChild(el("span", "check-text", text));
    li.appendChild(label);
    return li;
  }

  function fillList(listId, idPrefix, items, numbered) {
    var list = $(listId);
    list.textContent = "";
    items.forEach(function (text, i) {
      list.appendChild(checkItem(idPrefix, i, text, numbered ? i + 1 : 0));
    });
  }

  function draw(p) {
    current = p;
    $("desk-title").textContent = p.title;
    $("desk-category").textContent = p.category;
    $("desk-where").textContent = p.where;
    $("desk-fee").textContent = p.fee;
    $("desk-time").textContent = p.processing_time;
    $("desk-reviewed").textContent = p.last_reviewed;
    var qr = $("desk-qr");
    qr.src = p.qr_url;
    qr.alt = "Mã QR mở hướng dẫn trên điện thoại: " + p.title;
    qr.title = p.title;
    var link = $("desk-link");
    link.href = p.public_url;
    link.textContent = p.public_url.replace(/^https?:\/\//, "");
    fillList("desk-papers", "desk-paper-", p.papers || [], false);
    $("desk-papers-box").hidden = !(p.papers && p.papers.length);
    fillList("desk-steps", "desk-step-", p.steps || [], true);
    Array.prototype.forEach.call(results.querySelectorAll(".result"), function (button) {
      if (button.getAttribute("data-slug") === p.slug) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    });
    empty.hidden = true;
    panel.hidden = false;
    panel.parentNode.scrollTop = 0;
    $("desk-title").focus();
  }

  function show(slug) {
    var seq = ++showSeq;
    say("");
    getJson("/api/procedures/" + encodeURIComponent(slug)).then(
      function (body) {
        if (seq === showSeq) draw(body);
      },
      function (error) {
        if (seq === showSeq) say(error.message);
      }
    );
  }

  $("desk-print").addEventListener("click", function () {
    window.print();
  });

  // --- the chat in the frame ----------------------------------------------------------------

  function chatApi() {
    try {
      return (chat.contentWindow && chat.contentWindow.troLyChat) || null;
    } catch (e) {
      return null; // the frame is on an error page of another origin
    }
  }

  // The frame may still be loading on a slow network: wait up to 3 s before giving up.
  function askChat(procedure, tries) {
    if (current !== procedure) return; // "next citizen" was pressed meanwhile
    var api = chatApi();
    if (api && typeof api.ask === "function") {
      say("");
      api.ask(procedure.chat_payload, procedure.title);
      chat.scrollIntoView({ block: "nearest" }); // on a narrow screen the chat is further down
    } else if (tries > 0) {
      window.setTimeout(function () {
        askChat(procedure, tries - 1);
      }, 250);
    } else {
      say(MSG_CHAT_NOT_READY);
    }
  }

  $("desk-ask").addEventListener("click", function () {
    if (current) askChat(current, 12);
  });

  function resetChat() {
    var api = chatApi();
    if (api && typeof api.reset === "function") {
      try {
        api.reset();
        return;
      } catch (e) {
        /* fall through to a reload */
      }
    }
    // The desk's chat (/nhung?quay) keeps nothing in storage, so a reload starts afresh.
    chat.src = chat.getAttribute("src");
  }

  // --- next citizen -------------------------------------------------------------------------

  $("desk-next").addEventListener("click", function () {
    window.clearTimeout(timer);
    showSeq += 1; // drop any procedure still loading
    current = null;
    search.value = "";
    say("");
    panel.hidden = true;
    empty.hidden = false;
    ["desk-title", "desk-category", "desk-where", "desk-fee", "desk-time", "desk-reviewed", "desk-link", "desk-papers", "desk-steps"].forEach(function (id) {
      $(id).textContent = "";
    });
    var qr = $("desk-qr");
    qr.removeAttribute("src");
    qr.alt = "";
    qr.title = "";
    resetChat();
    runSearch();
    search.focus();
  });

  runSearch();
})();
