// Keeps a login or approval page current: server-sent events where the browser has them,
// polling otherwise. Every sentence shown comes from the server, so this file holds no text.
'use strict';
(function () {
  var panel = document.querySelector('[data-challenge]');
  if (!panel) {
    return;
  }
  var base = '/challenge/' + panel.getAttribute('data-challenge');
  var deadline = null;

  function byId(id) {
    return document.getElementById(id);
  }

  function show(id, visible) {
    var element = byId(id);
    if (element) {
      element.hidden = !visible;
    }
  }

  function tick() {
    var countdown = byId('countdown');
    var unit = byId('countdown-unit');
    if (deadline !== null && countdown) {
      var seconds = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      countdown.textContent = String(seconds);
      if (unit) {
        // Both words come with the page: "1 more second", "2 more seconds".
        unit.textContent = unit.getAttribute(seconds === 1 ? 'data-one' : 'data-other');
      }
    }
  }

  function render(view) {
    var status = byId('status');
    // Set only when it changed: a new frame of a rotating code repeats the sentence, which a
    // screen reader should not read out again every few seconds.
    if (status.textContent !== view.status) {
      status.textContent = view.status;
    }
    show('qr', view.open && !view.codeEntry);
    show('code-entry', view.codeEntry);
    show('retry', !view.open && view.state !== 'confirmed');
    show('complete', view.state === 'confirmed');
    // An approval's form comes back once the phone has answered (or the code ran out).
    show('approval-form', !view.open);
    if (view.open && !view.codeEntry) {
      var image = byId('qr-image');
      if (image.getAttribute('src') !== view.qrUrl) {
        image.setAttribute('src', view.qrUrl);
      }
      byId('otp-text').textContent = view.otp;
      show('short-code-entry', view.shortCode != null);
      byId('short-code').textContent = view.shortCode == null ? '' : view.shortCode;
      show('binding', view.bindingCode != null);
      byId('binding-code').textContent = view.bindingCode == null ? '' : String(view.bindingCode);
      deadline = Date.now() + view.secondsLeft * 1000;
      tick();
    } else {
      deadline = null;
    }
    var complete = byId('complete');
    if (view.state === 'confirmed' && complete) {
      // A login posts its form; an approval follows its link to the account page.
      if (complete.tagName === 'FORM') {
        complete.submit();
      } else {
        window.location.assign(complete.querySelector('a').href);
      }
    }
  }

  function poll() {
    fetch(base + '/status', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (response.status >= 400 && response.status < 500) {
          // The session or its challenge is gone: polling will not bring it back.
          return { stop: true };
        }
        return response.ok ? response.json() : null;
      })
      .then(function (view) {
        if (view && view.stop) {
          return;
        }
        if (view) {
          render(view);
        }
        if (!view || view.open) {
          setTimeout(poll, 2000);
        }
      }, function () {
        setTimeout(poll, 5000);
      });
  }

  setInterval(tick, 1000);
  if (!window.EventSource) {
    poll();
    return;
  }
  var events = new EventSource(base + '/events');
  events.onmessage = function (message) {
    var view = JSON.parse(message.data);
    render(view);
    if (!view.open) {
      events.close();
    }
  };
  events.onerror = function () {
    if (events.readyState === EventSource.CLOSED) {
      poll();
    }
  };
})();
