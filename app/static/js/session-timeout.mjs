// GOV.UK's timeout warning for staff sessions (macros/session_timeout.html). Progressive
// enhancement: without JavaScript the next request after the session ends goes to sign-in.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const seconds = (name) => Number(dialog.dataset[name]) * 1000;
  const warning = seconds("warningSeconds");
  const idle = seconds("idleSeconds");
  const canExtend = dialog.dataset.canExtend === "true";
  const absoluteEnd = Date.now() + (canExtend ? Infinity : seconds("seconds"));
  const form = dialog.querySelector("form");
  const at = dialog.querySelector("[data-app-timeout-at]");
  const format = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: dialog.dataset.timeZone || undefined,
  });
  let ends = Date.now() + seconds("seconds");
  let warnTimer;
  let endTimer;

  const signedOut = () => window.location.assign(dialog.dataset.signedOutUrl);

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => {
      at.textContent = format.format(new Date(ends));
      if (!dialog.open) dialog.showModal();
    }, Math.max(0, ends - warning - Date.now()));
    endTimer = setTimeout(signedOut, Math.max(0, ends - Date.now() + 1000));
  };

  const stay = () => {
    if (!canExtend) {
      dialog.close();
      return;
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual",
    })
      .then((response) => {
        if (!response.ok) throw new Error("signed out");
        ends = Math.min(Date.now() + idle, absoluteEnd);
        dialog.close();
        schedule();
      })
      .catch(signedOut);
  };

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.hasAttribute("data-app-stay")) {
      event.preventDefault();
      stay();
    }
  });
  // Escape means "stay signed in", as in GOV.UK's pattern.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  schedule();
}
