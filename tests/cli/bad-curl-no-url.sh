curl -H 'origin: https://app.example.com'
