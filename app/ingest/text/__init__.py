"""Reading an article: raw bytes or text in, the cleaned text every offset points into out.

``read.read_article`` is the entry (decoding, HTML extraction, header and metadata,
language); ``clean`` masks scraping junk, ``header`` finds the published date in the text,
``keys`` holds the folding keys every stage compares names with, and ``doc_index`` /
``doc_text`` give the later stages fast access to a parsed document. Kept import-light:
the stages below the reader import ``keys`` and ``doc_index`` without loading the reader.
"""
