from django.db import migrations

from mercato.sequences import cached_ids


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_product_title_unindexed")]

    operations = [cached_ids("catalog_product", "catalog_productidentifier")]
