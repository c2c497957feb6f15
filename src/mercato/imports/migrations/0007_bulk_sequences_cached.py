from django.db import migrations

from mercato.sequences import cached_ids


class Migration(migrations.Migration):
    dependencies = [("imports", "0006_product_integration_writes_lighter")]

    operations = [
        cached_ids(
            "imports_offerimporterror",
            "imports_productintegration",
            "imports_producttransformationline",
        )
    ]
