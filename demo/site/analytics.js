/* A harmless stand-in for an audience-measurement tag: it counts page views in its own first-party
   cookies (demo_analytics, demo_analytics_visits) and shows a badge so a visitor can see it running. */
(function () {
  function read(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? m[1] : null;
  }
  var id = read("demo_analytics") || Math.random().toString(36).slice(2, 12);
  var visits = parseInt(read("demo_analytics_visits") || "0", 10) + 1;
  var age = "; Path=/; Max-Age=34128000; SameSite=Lax";
  document.cookie = "demo_analytics=" + id + age;
  document.cookie = "demo_analytics_visits=" + visits + age;
  window.demoAnalytics = {id: id, visits: visits};
  var badge = document.getElementById("analytics-status");
  if (badge) {
    badge.textContent = badge.getAttribute("data-on").replace("{n}", visits);
    badge.className = "badge badge--on";
  }
})();
