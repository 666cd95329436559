curl 'https://api.example.com/api/items/7' \
  -X 'PUT' \
  -H 'accept: */*' \
  -H 'content-type: application/json' \
  -H 'origin: https://app.example.com' \
  -H 'referer: https://app.example.com/' \
  -H $'x-note: it\'s fine' \
  -b 'session=abc' \
  --data-raw '{"title":"milk"}' \
  --compressed
