"""Badge pictures: drawing badges and preview cards, checking supplied images."""
