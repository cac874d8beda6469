# The deployment image: one image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim

# TOOLS=off: the benchmark, soak and demo tools (tools/, left out of the image) are not installed.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 TOOLS=off
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic reads settings, which need a key; this one is thrown away with the build layer.
RUN DEBUG=off SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput

RUN useradd --create-home --uid 10001 mentoring
USER mentoring
EXPOSE 8000
CMD ["gunicorn", "mentoring.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
