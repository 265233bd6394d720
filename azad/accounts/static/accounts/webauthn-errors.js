// Show a message when a passkey could not be created or used (allauth only logs it).
document.addEventListener("allauth.error", function (event) {
  var box = document.getElementById("webauthn-error");
  if (!box) { return; }
  box.textContent = box.getAttribute("data-message");
  box.hidden = false;
});
