"""Translation engines behind one interface (``base.Translator``), plus the translation cache.

Engines are imported lazily: nothing here imports argostranslate or ctranslate2 at import time.
"""
