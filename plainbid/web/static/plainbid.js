// plainbid's start page: drop files onto the drop area, see what is chosen, and stop a file
// that is over the size limit before it is sent. The page works without this script.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload]");
  if (!form) {
    return;
  }
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector("[data-drop-zone]");
  var status = document.getElementById("file-status");
  var submit = form.querySelector("[data-submit]");
  var working = form.querySelector("[data-working]");
  var maxBytes = Number(form.getAttribute("data-max-bytes"));
  var maxText = form.getAttribute("data-max-mb");

  function megabytes(bytes) {
    var value = bytes / (1024 * 1024);
    return (value < 10 ? value.toFixed(1) : value.toFixed(0)) + " MB";
  }

  function total() {
    var sum = 0;
    for (var i = 0; i < input.files.length; i += 1) {
      sum += input.files[i].size;
    }
    return sum;
  }

  function tooLarge() {
    return input.files.length > 0 && total() > maxBytes;
  }

  function show() {
    var names = [];
    for (var i = 0; i < input.files.length; i += 1) {
      names.push(input.files[i].name);
    }
    status.classList.remove("error");
    if (names.length === 0) {
      status.textContent = "";
    } else if (tooLarge()) {
      status.classList.add("error");
      status.textContent = "This upload is " + megabytes(total()) + ", over the limit of " +
        maxText + ". Check the documents one at a time, or split a long one.";
    } else {
      status.textContent = "Chosen: " + names.join(", ") + " (" + megabytes(total()) + ")";
    }
  }

  if (zone) {
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
        input.focus();
      }
    });
  }
  input.addEventListener("change", show);

  form.addEventListener("submit", function (event) {
    if (tooLarge()) {
      event.preventDefault();
      show();
      input.focus();
      return;
    }
    submit.disabled = true;
    working.textContent = "Checking… a long document can take up to a minute.";
  });

  // Coming back with the browser's Back button: make the button usable again.
  window.addEventListener("pageshow", function () {
    submit.disabled = false;
    working.textContent = "";
  });
})();
