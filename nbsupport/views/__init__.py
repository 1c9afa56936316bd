"""Figure views, one module per notebook topic.

A view builds its figure once (``nbsupport.plotting.new_figure``) and changes its
artists' data in ``update(**params)``; ``nbsupport.widgets.interactive_view`` binds
it to controls.  Views import matplotlib but never ipywidgets.
"""
