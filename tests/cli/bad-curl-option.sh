curl 'https://api.example.com/x' --frobnicate -H 'origin: https://a.example'
