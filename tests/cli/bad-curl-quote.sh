curl 'https://api.example.com/x' -H 'origin: https://app.example.com
