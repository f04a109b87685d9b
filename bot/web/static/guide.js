// A guide page: the share and print buttons. The page reads fine without this script.
"use strict";

(function () {
  var share = document.getElementById("share");
  var print = document.getElementById("print");
  var box = document.getElementById("share-box");
  var input = document.getElementById("share-url");
  var status = document.getElementById("share-status");
  if (!share || !print || !input) return;

  var url = input.value || window.location.href;
  var title = (document.getElementById("guide-title") || document).textContent.trim() || document.title;

  function say(text) {
    // Emptied first so the same words are announced again on a second press.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  // Old phones and plain-http pages have no clipboard API: show the link, selected, to copy by hand.
  function showLink() {
    box.hidden = false;
    input.focus();
    input.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    say(copied ? "Đã chép đường dẫn" : "Đường dẫn đã được chọn sẵn trong ô. Bạn hãy chép rồi gửi đi.");
  }

  function copy() {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () {
        say("Đã chép đường dẫn");
      }, showLink);
    } else {
      showLink();
    }
  }

  share.addEventListener("click", function () {
    if (navigator.share) {
      navigator.share({ title: title, url: url }).catch(function (error) {
        if (!error || error.name !== "AbortError") copy(); // AbortError: the person closed the share sheet
      });
    } else {
      copy();
    }
  });

  print.addEventListener("click", function () {
    window.print();
  });

  share.hidden = false;
  print.hidden = false;
})();
