// Progressive enhancements only: every page works without this file.

// The three Bootstrap behaviours the pages use, without Bootstrap's 80 KB script (its parse and start-up
// were a tenth of a throttled phone's blocking time on the thread): the navigation's toggler on a phone
// (collapse), the account menu (dropdown, placed by CSS as Bootstrap places it in a navbar) and the
// close button of a message at the top of a page (alert).
(function () {
  "use strict";

  function closeMenus(except) {
    document.querySelectorAll(".dropdown-menu.show").forEach(function (menu) {
      if (menu !== except) {
        menu.classList.remove("show");
        var button = menu.parentElement.querySelector('[data-bs-toggle="dropdown"]');
        if (button) {
          button.setAttribute("aria-expanded", "false");
        }
      }
    });
  }

  document.addEventListener("click", function (event) {
    var toggler = event.target.closest('[data-bs-toggle="collapse"]');
    if (toggler) {
      var target = document.querySelector(toggler.getAttribute("data-bs-target"));
      var shown = target.classList.toggle("show");
      toggler.setAttribute("aria-expanded", shown ? "true" : "false");
      toggler.classList.toggle("collapsed", !shown);
      return;
    }
    var menuButton = event.target.closest('[data-bs-toggle="dropdown"]');
    var menu = menuButton && menuButton.parentElement.querySelector(".dropdown-menu");
    if (menu) {
      closeMenus(menu);
      var open = menu.classList.toggle("show");
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    if (!event.target.closest(".dropdown-menu")) {
      closeMenus(null); // a click anywhere else closes an open menu
    }
    var dismiss = event.target.closest('[data-bs-dismiss="alert"]');
    if (dismiss && dismiss.closest(".alert")) {
      dismiss.closest(".alert").remove();
    }
  });

  document.addEventListener("keydown", function (event) {
    var menu = document.querySelector(".dropdown-menu.show");
    if (event.key === "Escape" && menu) {
      closeMenus(null);
      var button = menu.parentElement.querySelector('[data-bs-toggle="dropdown"]');
      if (button) {
        button.focus();
      }
    }
  });

  // Leaving the menu by the keyboard (Tab past its last item) closes it.
  document.addEventListener("focusin", function (event) {
    var menu = document.querySelector(".dropdown-menu.show");
    if (menu && !menu.parentElement.contains(event.target)) {
      closeMenus(null);
    }
  });
})();

(function () {
  "use strict";

  // On sign-up, propose the browser's time zone; people can change it on their profile.
  document.addEventListener("DOMContentLoaded", function () {
    var field = document.querySelector('input[type="hidden"][name="timezone"]');
    if (!field || field.value) {
      return;
    }
    try {
      field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      // Old browsers: the site default applies.
    }
  });

  // A conversation guide's prompt (guides/_prompt.html): "Use this starter" adds its text to the reply
  // box; "Not now" hides it. Without this file the prompt is simply text to read.
  document.addEventListener("click", function (event) {
    var insert = event.target.closest("[data-insert-into]");
    if (insert) {
      var box = document.getElementById(insert.getAttribute("data-insert-into"));
      if (box) {
        var text = insert.getAttribute("data-text") || "";
        box.value = box.value ? box.value.replace(/\s*$/, "") + "\n\n" + text : text;
        box.focus();
        box.dispatchEvent(new Event("input", { bubbles: true })); // the draft is saved as if typed
      }
      return;
    }
    var dismiss = event.target.closest("[data-dismiss-prompt]");
    if (dismiss) {
      var prompt = dismiss.closest("[data-prompt]");
      if (prompt) {
        prompt.remove();
      }
    }
  });
})();

// Threads (messaging/thread.html): long quotes inside messages fold to a few lines with a button to
// unfold; "Quote" quotes the text selected in that message, if any (else the link asks the server for
// the first lines); on a phone a "Reply" button stays in reach until the reply box is on screen.
(function () {
  "use strict";

  var QUOTE_FOLD_PX = 110; // about five lines

  function foldLongQuotes(list) {
    var show = list.getAttribute("data-quote-show");
    var hide = list.getAttribute("data-quote-hide");
    // Every height is read first, then the page is changed: reading one after each change made the
    // browser lay the whole thread out again for every quote (135 ms on a throttled phone).
    var quotes = Array.prototype.slice.call(list.querySelectorAll(".message-body > blockquote"));
    var tall = quotes.filter(function (quote) {
      return quote.scrollHeight > QUOTE_FOLD_PX;
    });
    tall.forEach(function (quote, index) {
      quote.id = quote.id || "quote-" + index;
      quote.classList.add("quote-collapsed");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 quote-toggle";
      button.textContent = show;
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", quote.id);
      button.addEventListener("click", function () {
        var folded = quote.classList.toggle("quote-collapsed");
        button.textContent = folded ? show : hide;
        button.setAttribute("aria-expanded", folded ? "false" : "true");
      });
      quote.insertAdjacentElement("afterend", button);
    });
  }

  // What is selected inside a message's text, if anything. Read when the pointer goes down on "Quote"
  // (a tap or click may clear the selection before the click event) and again at the click (keyboard).
  function selectionIn(messageId) {
    var selection = window.getSelection();
    var text = selection ? selection.toString().trim() : "";
    var node = text && selection.anchorNode;
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    var body = element && element.closest(".message-body");
    var message = body && body.closest("article.message");
    return message && message.id === "message-" + messageId ? text : "";
  }

  var selected = { text: "", messageId: "" };
  document.addEventListener("pointerdown", function (event) {
    var link = event.target.closest("a[data-quote]");
    var id = link ? link.getAttribute("data-quote") : "";
    selected = { text: id ? selectionIn(id) : "", messageId: id };
  });

  function quoteSelection(link) {
    var form = document.getElementById("reply-form");
    var box = document.getElementById("id_body");
    var id = link.getAttribute("data-quote");
    var text = selectionIn(id) || (selected.messageId === id ? selected.text : "");
    selected = { text: "", messageId: "" };
    if (!form || !box || !text) {
      return false;
    }
    var intro = form.getAttribute("data-wrote").replace("%(name)s", link.getAttribute("data-quote-name"));
    var quoted = text.split(/\r?\n/).map(function (line) { return "> " + line; }).join("\n");
    box.value = intro + "\n" + quoted + "\n\n" + box.value.replace(/^\s+/, "");
    var replyTo = form.querySelector('input[name="reply_to"]');
    if (replyTo) {
      replyTo.value = id;
    }
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    box.dispatchEvent(new Event("input", { bubbles: true })); // the draft is saved as if typed
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-quote]");
    if (link && quoteSelection(link)) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector(".thread-messages");
    if (list && list.querySelector(".message-body > blockquote")) {
      // After the first paint: folding is a nicety, and the page should show before it.
      window.requestAnimationFrame(function () {
        foldLongQuotes(list);
      });
    }
    var jump = document.querySelector("[data-reply-jump]");
    var reply = document.getElementById("reply");
    if (jump && reply && "IntersectionObserver" in window) {
      new IntersectionObserver(function (entries) {
        jump.hidden = entries[0].isIntersecting;
      }).observe(reply);
    }
  });
})();

// Parts of a page fetched after it shows, and the reply box's autosave and preview: the five things
// htmx did for us, without htmx's 52 KB (its parse and start-up were most of a throttled phone's
// blocking time on the thread). Every request says "X-Fragment: 1", and the views answer it with the
// fragment alone; without this file the links and buttons work as plain pages and forms.
//   data-fetch="url" data-fetch-on="load" | "every 60s" | "load, every 60s"   fetch, put inside
//   data-swap="oob"        instead, put each element of the answer in place of the one with its id
//   data-autosave="url" data-autosave-from="#id" data-autosave-form="#id" data-autosave-status="#id"
//                          post the form 1.5 s after the last keystroke in that field
//   data-post="url" data-post-form="#id" data-post-target="#id"   (a button) post the form, show the answer
(function () {
  "use strict";

  var AUTOSAVE_MS = 1500;

  function request(url, options) {
    options = options || {};
    options.headers = { "X-Fragment": "1" };
    options.credentials = "same-origin";
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) {
        return { ok: response.ok || response.status === 400, text: text };
      });
    });
  }

  // Parsed in a <template>, then moved in: a fragment's own <form> (the scheduled reply's "Take it back")
  // stays a form even inside the reply form. Set as innerHTML there, the parser drops a form nested in a
  // form, and its button would post the reply form instead (as htmx's own swap never did).
  function fill(element, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    element.replaceChildren(template.content);
  }

  function swapOutOfBand(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    // A copy: moving each part into the page takes it out of the template's live list of children.
    Array.prototype.slice.call(template.content.children).forEach(function (part) {
      var current = part.id && document.getElementById(part.id);
      if (current) {
        current.replaceWith(part);
      }
    });
  }

  function load(element) {
    return request(element.getAttribute("data-fetch")).then(function (answer) {
      if (!answer.ok) {
        return;
      }
      if (element.getAttribute("data-swap") === "oob") {
        swapOutOfBand(answer.text);
      } else {
        fill(element, answer.text);
      }
    }).catch(function () {
      // Offline or the server is busy: the next time round, or a reload, tries again.
    });
  }

  function start(element) {
    var on = element.getAttribute("data-fetch-on") || "load";
    if (/\bload\b/.test(on)) {
      load(element);
    }
    var every = /every (\d+)s/.exec(on);
    if (every) {
      window.setInterval(function () {
        if (!document.hidden) {
          load(element);
        }
      }, parseInt(every[1], 10) * 1000);
    }
  }

  function post(url, formSelector) {
    var form = document.querySelector(formSelector);
    return request(url, { method: "POST", body: new FormData(form) });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-fetch]").forEach(start);
    document.querySelectorAll("[data-autosave]").forEach(function (element) {
      var field = document.querySelector(element.getAttribute("data-autosave-from"));
      var status = document.querySelector(element.getAttribute("data-autosave-status"));
      var timer = null;
      if (!field) {
        return;
      }
      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          post(element.getAttribute("data-autosave"), element.getAttribute("data-autosave-form")).then(function (answer) {
            fill(status, answer.text);
          }).catch(function () {});
        }, AUTOSAVE_MS);
      });
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-post]");
    if (!button) {
      return;
    }
    event.preventDefault();
    post(button.getAttribute("data-post"), button.getAttribute("data-post-form")).then(function (answer) {
      fill(document.querySelector(button.getAttribute("data-post-target")), answer.text);
    }).catch(function () {});
  });
})();
