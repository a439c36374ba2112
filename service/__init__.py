"""triglot's HTTP service: LibreTranslate's API and triglot's own endpoints over ``toolkit``.

``service.app.create_app`` builds the app; ``triglot serve`` runs it. Importing this
package loads nothing (no FastAPI until a module that needs it is imported).
"""
