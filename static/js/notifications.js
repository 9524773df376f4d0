/* The notification bell in the top bar. Without JavaScript it is a link to /notifications/; with it the
   unread count comes from unread.json, the list from bell.json when opened, and both follow
   ws/notifications/ live (notification.new, notification.read from other tabs). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var bell = document.getElementById("bell");
    if (!bell || !window.YTPLive) { return; }
    var live = window.YTPLive;
    var button = bell.querySelector("[data-bell-button]");
    var panel = bell.querySelector("[data-bell-panel]");
    var list = bell.querySelector("[data-bell-list]");
    var countEl = bell.querySelector("[data-bell-count]");
    var labelEl = bell.querySelector("[data-bell-label]");
    var readAll = bell.querySelector("[data-bell-read-all]");
    var unread = 0;
    var items = null; // loaded on first opening

    function setUnread(n) {
      unread = Math.max(0, n);
      countEl.textContent = unread > 99 ? "99+" : String(unread);
      countEl.hidden = unread === 0;
      labelEl.textContent = bell.dataset.textLabel + (unread ? " (" + unread + " " + bell.dataset.textUnread + ")" : "");
      bell.classList.toggle("has-unread", unread > 0);
    }

    function csrf() {
      var field = readAll.querySelector("input[name=csrfmiddlewaretoken]");
      return field ? field.value : "";
    }

    function markRead(id) {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", csrf());
      return window.fetch(bell.dataset.readBase + id + "/read/", {
        method: "POST", body: body, credentials: "same-origin", keepalive: true,
        headers: { Accept: "application/json" }
      });
    }

    function renderList() {
      if (!items) { return; }
      var nodes = items.map(function (item) {
        var li = document.createElement("li");
        li.className = "bell-item" + (item.read ? "" : " is-unread");
        li.dataset.id = item.id;
        var link = document.createElement(item.url ? "a" : "span");
        link.className = "bell-link";
        if (item.url) { link.href = item.url; }
        var title = document.createElement("span");
        title.className = "bell-title";
        title.textContent = item.title;
        var when = document.createElement("span");
        when.className = "bell-time muted small";
        var date = new Date(item.created_at);
        // Shown in the site's time zone (Asia/Ho_Chi_Minh), like every date the server renders.
        var zone = bell.dataset.timeZone || undefined;
        when.textContent = date.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", timeZone: zone }) +
          " " + date.toLocaleDateString("vi-VN", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: zone });
        link.append(title, when);
        link.addEventListener("click", function () {
          if (!item.read) { item.read = true; setUnread(unread - 1); markRead(item.id); }
        });
        li.append(link);
        return li;
      });
      if (!nodes.length) {
        var empty = document.createElement("li");
        empty.className = "bell-empty muted";
        empty.textContent = bell.dataset.textEmpty;
        nodes = [empty];
      }
      list.replaceChildren.apply(list, nodes);
    }

    function loadList() {
      return live.getJSON(bell.dataset.listUrl).then(function (data) {
        items = data.items;
        setUnread(data.unread);
        renderList();
      });
    }

    function setOpen(open) {
      panel.hidden = !open;
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { loadList().catch(function () { window.location.href = button.href; }); }
    }

    button.addEventListener("click", function (event) {
      event.preventDefault();
      setOpen(panel.hidden);
    });
    document.addEventListener("click", function (event) {
      if (!panel.hidden && !bell.contains(event.target)) { setOpen(false); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { setOpen(false); button.focus(); }
    });
    readAll.addEventListener("submit", function (event) {
      event.preventDefault();
      live.postForm(readAll).then(function (res) {
        if (!res.ok) { return; }
        setUnread(0);
        if (items) { items.forEach(function (item) { item.read = true; }); renderList(); }
      });
    });

    live.getJSON(bell.dataset.unreadUrl).then(function (data) { setUnread(data.unread); }).catch(function () {});
    live.connect(bell.dataset.wsPath, {
      poll: function () {
        live.getJSON(bell.dataset.unreadUrl).then(function (data) { setUnread(data.unread); }).catch(function () {});
      },
      message: function (msg) {
        if (msg.type === "notification.snapshot") {
          setUnread(msg.data.unread);
        } else if (msg.type === "notification.new") {
          setUnread(unread + (msg.data.read ? 0 : 1));
          if (items) {
            items = [msg.data].concat(items.filter(function (i) { return i.id !== msg.data.id; })).slice(0, 10);
            renderList();
          }
          bell.classList.remove("is-ringing");
          void bell.offsetWidth;
          bell.classList.add("is-ringing");
        } else if (msg.type === "notification.read") {
          setUnread(msg.data.unread);
          if (items) {
            items.forEach(function (item) {
              if (msg.data.ids === "all" || msg.data.ids.indexOf(item.id) !== -1) { item.read = true; }
            });
            renderList();
          }
        }
      }
    });
  });
})();
