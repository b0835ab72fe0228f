// The stand-in booker page: the iframe side of Cal.com's embed protocol (shared/calcom/
// embed-protocol.md §2, §3, §5) and a tiny slot picker that books through the stand-in.
// Outside an iframe nothing is posted; the page is then a plain booking page.
(() => {
  "use strict";

  const main = document.querySelector("main.main");
  const url = new URL(location.href);
  const framed = window.top !== window;
  const linkKnown = main.dataset.linkKnown === "true";

  // Namespace: the `embed` query parameter (may be ""), else `window.name` = "cal-embed=<ns>".
  const ns = (() => {
    const fromQuery = url.searchParams.get("embed");
    if (fromQuery !== null) return fromQuery;
    if (window.name.startsWith("cal-embed=")) return window.name.slice("cal-embed=".length);
    return "";
  })();

  const post = (type, data = {}) => {
    if (!framed) return;
    window.parent.postMessage(
      { originator: "CAL", type, namespace: ns, fullType: ns ? `CAL:${ns}:${type}` : `CAL::${type}`, data },
      "*",
    );
  };

  // Every `metadata[<k>]` query parameter, as strings.
  const metadata = Object.fromEntries(
    [...url.searchParams].filter(([k]) => /^metadata\[.+\]$/.test(k)).map(([k, v]) => [k.slice(9, -1), v]),
  );
  const rescheduleUid = url.searchParams.get("rescheduleUid") || "";

  // §3: the listener is registered before `__iframeReady`, since the parent answers at once.
  let sized = false;
  let parentReady = false;
  let announced = false;
  const announce = () => {
    if (!sized || !parentReady || announced) return;
    announced = true;
    if (linkKnown) post("linkReady");
    else post("linkFailed", { code: "404", msg: "Problem loading the link", data: { url: document.URL } });
  };
  window.addEventListener("message", (e) => {
    const d = e.data;
    if (!d || d.originator !== "CAL" || typeof d.method !== "string") return;
    if (d.method === "parentKnowsIframeReady") {
      document.body.style.visibility = "visible";
      parentReady = true;
      announce();
    } else if (d.method === "ui" && d.arg && typeof d.arg.theme === "string") {
      document.documentElement.dataset.theme = d.arg.theme;
    }
  });

  // §2 #1–#5.
  let lastSize = "";
  const size = (first) => {
    const m = document.querySelector(".main") || document.documentElement;
    const s = getComputedStyle(m);
    const data = first
      ? {
          iframeHeight: document.documentElement.scrollHeight,
          iframeWidth: document.documentElement.scrollWidth,
          isFirstTime: true,
        }
      : {
          iframeHeight: Math.ceil(parseFloat(s.height) + parseFloat(s.marginTop) + parseFloat(s.marginBottom)),
          iframeWidth: Math.ceil(parseFloat(s.width) + parseFloat(s.marginLeft) + parseFloat(s.marginRight)),
          isFirstTime: false,
        };
    const key = `${data.iframeHeight}x${data.iframeWidth}`;
    if (!first && key === lastSize) return;
    lastSize = key;
    post("__dimensionChanged", data);
  };
  if (framed && url.searchParams.get("preload") !== "true") {
    post("__iframeReady", { isPrerendering: false });
    const afterLoad = () =>
      setTimeout(() => {
        post("__windowLoadComplete");
        size(true);
        setTimeout(() => {
          size(false);
          sized = true;
          announce();
          new ResizeObserver(() => size(false)).observe(main);
        }, 50);
      }, 100);
    if (document.readyState === "complete") afterLoad();
    else window.addEventListener("load", afterLoad);
  }

  const form = document.getElementById("details");
  if (!linkKnown || !form) return;

  // Slots carry their UTC start; show them in the visitor's time zone.
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const slotFormat = new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
  document.getElementById("time-zone").textContent = timeZone;
  const slots = [...document.querySelectorAll('[data-testid="slot"]')];
  for (const slot of slots) slot.textContent = slotFormat.format(new Date(slot.dataset.start));

  const confirm = form.querySelector('[data-testid="confirm"]');
  const picked = document.getElementById("picked");
  const error = document.getElementById("error");
  let start = null;
  for (const slot of slots) {
    slot.addEventListener("click", () => {
      for (const other of slots) other.setAttribute("aria-pressed", String(other === slot));
      start = slot.dataset.start;
      picked.textContent = `Picked: ${slot.textContent}`;
      confirm.disabled = false;
    });
  }

  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
    confirm.disabled = start === null;
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (start === null) return fail("Pick a time first.");
    const name = form.elements.name.value.trim();
    const email = form.elements.email.value.trim();
    if (!name || !email.includes("@")) return fail("Enter your name and email address.");
    error.hidden = true;
    confirm.disabled = true;
    const request = {
      link: main.dataset.link,
      name,
      email,
      start,
      timeZone,
      notes: form.elements.notes.value,
      guests: form.elements.guests.value.split(",").map((g) => g.trim()).filter(Boolean),
      metadata,
      // The stand-in's own test switch: Cal.com dropping the embed's metadata.
      loseMetadata: form.elements.lose_metadata.checked,
    };
    if (rescheduleUid) request.rescheduleUid = rescheduleUid;
    let answer;
    try {
      const response = await fetch(main.dataset.api, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request),
      });
      answer = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
    } catch (e) {
      return fail(`Could not book: ${e.message}`);
    }
    booked(answer.booking);
  });

  // §2 #6/#7 (or 6'/7' for a reschedule), then the success view.
  const booked = (b) => {
    const prefix = rescheduleUid ? "rescheduleBookingSuccessful" : "bookingSuccessful";
    post(prefix, {
      booking: b,
      eventType: b.eventType,
      date: b.startTime,
      duration: b.eventType.length,
      organizer: { name: b.user.name, email: b.user.email || "Email-less", timeZone: b.user.timeZone },
      confirmed: b.status !== "PENDING",
    });
    post(`${prefix}V2`, {
      uid: b.uid,
      title: b.title,
      startTime: b.startTime,
      endTime: b.endTime,
      eventTypeId: b.eventTypeId,
      status: b.status,
      paymentRequired: false,
      isRecurring: false,
      videoCallUrl: b.videoCallUrl,
    });
    document.getElementById("booking-flow").hidden = true;
    document.getElementById("booked-what").textContent = b.title;
    document.getElementById("booked-when").textContent = slotFormat.format(new Date(b.startTime));
    document.getElementById("booked-uid").textContent = b.uid;
    document.getElementById("booked").hidden = false;
  };
})();
