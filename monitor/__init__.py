"""eumonitor: the EU funding and directive monitor for Swedish municipalities.

Data flows one way: sources.yaml → fetch → parse → store → match → notify.
"""

__version__ = "0.1.0"
