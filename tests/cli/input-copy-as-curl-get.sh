curl "https://api.example.com/api/items" -H "Origin: https://evil.example" -sS
