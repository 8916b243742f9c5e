// Progressive enhancement only: every page works without this file.
// A "copy as memo text" button, shown only where the clipboard can be written.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector("[role=status]");
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
      } catch {
        source.select();
        document.execCommand("copy");
      }
      if (status) status.textContent = button.dataset.copied;
    });
  }
});
