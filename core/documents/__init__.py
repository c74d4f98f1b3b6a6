"""The one document engine: fonts, QR codes, Chinese line breaking, layout operations, and the
PNG and PDF renderers that posters, certificates, tickets, 学时证明 and the demo's files are
drawn with. It imports no app of the project."""
