// After a form the page comes back at the anchor the form lives by (its
// section, its <details>): the message of what was done, or why not, moves
// there too, so it is read where the person is and not scrolled past.
document.addEventListener('DOMContentLoaded', () => {
  const id = decodeURIComponent(location.hash.slice(1));
  const anchor = id && document.getElementById(id);
  if (!anchor) return;
  const messages = [...document.querySelectorAll('p.ok[role=status], p.error[role=alert]')]
    .filter((message) => !anchor.contains(message));
  if (messages.length === 0) return;
  let place = anchor;
  if (anchor.tagName === 'DETAILS') {
    anchor.open = true;
    place = anchor.querySelector('summary') || anchor;
  }
  for (const message of messages.reverse()) place.after(message);
  anchor.scrollIntoView();
});

// A table or chart wider than the screen scrolls within itself; one that
// does can be reached and scrolled from the keyboard too, not by touch alone.
function scrollableByKeyboard() {
  for (const region of document.querySelectorAll('main table, .chart-frame')) {
    if (region.scrollWidth > region.clientWidth + 1) {
      region.tabIndex = 0;
    } else if (region.tabIndex === 0) {
      region.removeAttribute('tabindex');
    }
  }
}
document.addEventListener('DOMContentLoaded', scrollableByKeyboard);
window.addEventListener('resize', scrollableByKeyboard);
