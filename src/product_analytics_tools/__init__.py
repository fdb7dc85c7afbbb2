"""Python tooling for the product_analytics dbt project."""
