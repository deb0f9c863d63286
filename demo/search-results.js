// The demo site's search results page (the insurer's own code, not Lotse's): shows what was searched.
const query = new URLSearchParams(location.search).get('q');
if (query) document.getElementById('search-summary').textContent = `Ergebnisse für „${query}“:`;
