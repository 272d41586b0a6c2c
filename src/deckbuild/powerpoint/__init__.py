"""PowerPoint import: a .pptx lecture becomes a markdown deck deckbuild builds.

python-pptx opens the package (parts, relationships, pictures); the slide
XML is then walked with lxml here, because python-pptx does not return the
shapes PowerPoint wraps in `mc:AlternateContent` (every text box holding an
equation), SmartArt text, alt text, SVG pictures or inherited bullets.

Stages: `shapes` turns a slide's XML into positioned boxes of markdown
(`text` for paragraphs and equations via `omml`, `media` for pictures,
`tables` for tables, charts and SmartArt), `layout` puts the boxes in
reading order, `deck` writes the deck and its pictures.
"""
