/* aims web UI: optional in-page filtering of a list as you type. Every page works without it:
 * the filter form also filters on the server when submitted. */
(function () {
  'use strict';
  var input = document.querySelector('input[data-filter]');
  var table = document.getElementById('list');
  if (!input || !table || !table.tBodies.length) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  input.addEventListener('input', function () {
    var q = input.value.toLowerCase();
    rows.forEach(function (r) {
      r.classList.toggle('hidden', q !== '' && r.textContent.toLowerCase().indexOf(q) < 0);
    });
  });
}());
