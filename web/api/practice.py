"""Learning lines over days over HTTP: Today's practice, grading a line, the progress picture."""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sessions_app.practice import line_grade
from sessions_app.practice_selectors import practice_today
from sessions_app.progress import daily_history, most_missed, session_progress
from sessions_app.progress_chart import progress_svg
from sessions_app.selectors import session_get

from .serializers import (
    ErrorSerializer,
    GradeCreateSerializer,
    GradedSerializer,
    PracticeSerializer,
    ProgressSerializer,
)


class PracticeView(APIView):
    @extend_schema(responses={200: PracticeSerializer, 404: ErrorSerializer},
                   summary="Today's practice: the lines due, in order, each with its rung, cue and due time")
    def get(self, request, pk: str):
        return Response(PracticeSerializer(practice_today(session_get(pk))).data)


class PracticeGradeView(APIView):
    @extend_schema(request=GradeCreateSerializer,
                   responses={201: GradedSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
                   summary="Grade one of the teen's lines (again/hard/good/easy, or a listen-mode attempt)")
    def post(self, request, pk: str, line_id: str):
        session = session_get(pk)
        data = GradeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        graded = line_grade(session=session, line_id=line_id, **data.validated_data)
        return Response(GradedSerializer(graded).data, status=201)


class ProgressView(APIView):
    @extend_schema(responses={200: ProgressSerializer, 404: ErrorSerializer},
                   summary="Lines learnt per scene, each line's rung and schedule, the daily history")
    def get(self, request, pk: str):
        session = session_get(pk)
        scenes, lines = session_progress(session)
        return Response(ProgressSerializer({
            "strictness": session.strictness, "scenes": scenes, "lines": lines,
            "history": daily_history(session), "most_missed": most_missed(session),
            "chart_url": reverse("session-progress-chart", kwargs={"pk": session.pk}),
        }).data)


class ProgressChartView(APIView):
    @extend_schema(responses={(200, "image/svg+xml"): OpenApiResponse(description="The progress picture"),
                              404: ErrorSerializer},
                   summary="The progress picture: lines learnt per scene over days, minutes per day, most missed")
    def get(self, request, pk: str):
        session = session_get(pk)
        scenes, _ = session_progress(session)
        svg = progress_svg(scenes, daily_history(session), most_missed(session))
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Cache-Control"] = "private, no-store"
        return response
