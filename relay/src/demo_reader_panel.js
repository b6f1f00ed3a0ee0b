// The demo card reader's panel: place one of the demo cards on the
// software reader, or lift it. Loaded only with ?demo-reader, after the
// fake navigator.usb. Fills the check-in fields the way a student would
// type them (a real card's holder knows their own ID and birth date).
(() => {
  const panel = () => {
    const box = document.createElement('aside');
    box.id = 'demo-reader';
    box.style.cssText = 'position:fixed;right:12px;bottom:12px;z-index:1000;max-width:20rem;' +
      'background:#fffbeb;border:1px solid #f59e0b;border-radius:8px;padding:10px;font:14px system-ui;' +
      'box-shadow:0 2px 8px rgba(0,0,0,.15)';
    box.innerHTML = '<b>Đầu đọc thẻ (demo)</b><br><small>Demo card reader: synthetic cards only</small><div class="cards"></div>';
    document.body.appendChild(box);
    const list = box.querySelector('.cards');
    const setField = (id, value) => {
      const el = document.getElementById(id);
      if (!el || el.value) return;
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    fetch('/demo/reader/cards').then(r => r.json()).then(cards => {
      for (const c of cards) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'demo-card';
        b.style.cssText = 'display:block;margin-top:6px;width:100%;text-align:left';
        b.textContent = `Đặt thẻ: ${c.name} (${c.id}, ${c.birth})`;
        b.onclick = async () => {
          await fetch(`/demo/reader/card/${c.index}`, { method: 'POST' });
          setField('checkin-id', c.id);
          setField('checkin-birth', c.birth);
        };
        list.appendChild(b);
      }
      const lift = document.createElement('button');
      lift.type = 'button';
      lift.textContent = 'Nhấc thẻ ra / Lift the card';
      lift.style.cssText = 'display:block;margin-top:6px;width:100%';
      lift.onclick = () => fetch('/demo/reader/remove', { method: 'POST' });
      list.appendChild(lift);
    });
  };
  if (document.body) panel(); else addEventListener('DOMContentLoaded', panel);
})();
