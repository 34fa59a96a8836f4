FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Pango and fonts for the PDF report (WeasyPrint); Node.js for the diagram editor assets
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/voorkom
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
COPY processes ./processes
RUN pip install --no-cache-dir -e .
RUN useradd --system voorkom && chown -R voorkom /srv/voorkom
USER voorkom
EXPOSE 8000
CMD ["gunicorn", "--bind=0.0.0.0:8000", "--workers=4", "app:create_app()"]
